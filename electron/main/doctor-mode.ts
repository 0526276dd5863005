/**
 * `ratsdesk --doctor …`: the arguments after --doctor when the app was started as the command-line
 * doctor (packaged: `Ratsdesk --doctor`, development: `electron . --doctor`), else undefined.
 */
export function doctorArgs(argv: readonly string[]): string[] | undefined {
  const at = argv.indexOf('--doctor');
  return at < 0 ? undefined : argv.slice(at + 1);
}
