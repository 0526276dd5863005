/** A feature's strings: German first, English with the same keys. */
export interface FeatureMessages {
  de: Record<string, unknown>;
  en: Record<string, unknown>;
}
