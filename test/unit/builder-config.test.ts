import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const require = createRequire(import.meta.url);
const configPath = join(root, 'electron-builder.config.cjs');

interface Target {
  target: string;
  arch?: string[];
}
type BuilderConfig = Record<string, unknown> & {
  win: { target: Target[]; verifyUpdateCodeSignature: boolean; azureSignOptions?: Record<string, string> };
  nsis: Record<string, unknown>;
  msi: Record<string, unknown>;
  mac: Record<string, unknown> & { target: Target[] };
  linux: { target: Target[] };
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
  publish: Array<Record<string, unknown>>;
};

function loadConfig(env: Record<string, string> = {}): BuilderConfig {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    delete require.cache[require.resolve(configPath)];
    return require(configPath) as BuilderConfig;
  } finally {
    for (const k of Object.keys(env)) if (!(k in saved)) delete process.env[k];
  }
}

const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

afterEach(() => {
  delete require.cache[require.resolve(configPath)];
});

describe('electron-builder configuration', () => {
  it("is valid by electron-builder's own schema, with and without signing environment", () => {
    for (const env of <Array<Record<string, string>>>[
      {},
      {
        AZURE_TRUSTED_SIGNING_ENDPOINT: 'https://weu.codesigning.azure.net',
        AZURE_TRUSTED_SIGNING_ACCOUNT: 'stadt',
        AZURE_TRUSTED_SIGNING_PROFILE: 'ratsdesk',
        APPLE_API_KEY: '/tmp/AuthKey.p8',
        APPLE_API_KEY_ID: 'ABC',
        APPLE_API_ISSUER: 'issuer',
        WIN_PUBLISHER_NAME: 'Stadt',
      },
    ]) {
      const config = loadConfig(env);
      const ok = validate(config);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it("loads through electron-builder's own config loader (as `electron-builder --config` does) and stays valid", async () => {
    const { getConfig } = require('app-builder-lib/out/util/config/config') as {
      getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, unknown>>;
    };
    const loaded = await getConfig(root, configPath, null);
    expect(loaded.appId).toBe('de.ratsdesk.app');
    expect(validate(loaded), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has the app id, product name and icon', () => {
    const config = loadConfig();
    expect(config.appId).toBe('de.ratsdesk.app');
    expect(config.productName).toBe('Ratsdesk');
    const png = readFileSync(join(root, 'build/icon.png'));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512); // width: enough for .icns and .ico
  });

  it('sets every security fuse', () => {
    expect(loadConfig().electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    expect(loadConfig().asar).toBe(true);
  });

  it('builds NSIS (per-user or per-machine, elevation allowed) and per-machine MSI with a fixed upgrade code', () => {
    const config = loadConfig();
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(config.msi).toMatchObject({ perMachine: true, upgradeCode: '1f12e170-9943-4379-9741-78a4df5bb822' });
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
  });

  it('builds a hardened, entitled macOS DMG and ZIP, notarized only when the API key is in the environment', () => {
    const config = loadConfig();
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg', 'zip']);
    expect(config.mac).toMatchObject({
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
      notarize: false,
    });
    const plist = readFileSync(join(root, 'build/entitlements.mac.plist'), 'utf8');
    expect(plist).toContain('com.apple.security.cs.allow-jit');
    expect(plist).not.toContain('disable-library-validation');
    expect(loadConfig({ APPLE_API_KEY: '/k.p8', APPLE_API_KEY_ID: 'id', APPLE_API_ISSUER: 'iss' }).mac.notarize).toBe(
      true,
    );
  });

  it('builds deb and AppImage for Linux', () => {
    expect(loadConfig().linux.target.map((t) => t.target)).toEqual(['deb', 'AppImage']);
  });

  it('rebuilds and unpacks the native modules keytar and better-sqlite3-multiple-ciphers', () => {
    const config = loadConfig();
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/*.node',
        'node_modules/keytar/**/*.node',
        'node_modules/better-sqlite3-multiple-ciphers/**/*.node',
      ]),
    );
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // electron-builder rebuilds production dependencies only.
    expect(Object.keys(pkg.dependencies)).toEqual(
      expect.arrayContaining(['keytar', 'better-sqlite3-multiple-ciphers']),
    );
  });

  it('uses Azure Trusted Signing only when its environment is set, and holds no secret', () => {
    expect(loadConfig().win.azureSignOptions).toBeUndefined();
    const azure = loadConfig({
      AZURE_TRUSTED_SIGNING_ENDPOINT: 'https://weu.codesigning.azure.net',
      AZURE_TRUSTED_SIGNING_ACCOUNT: 'stadt',
      AZURE_TRUSTED_SIGNING_PROFILE: 'ratsdesk',
    });
    expect(azure.win.azureSignOptions).toMatchObject({
      endpoint: 'https://weu.codesigning.azure.net',
      codeSigningAccountName: 'stadt',
    });
    const text = readFileSync(configPath, 'utf8');
    expect(text).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY|password\s*[:=]\s*['"][^'"]+['"]/i);
    expect(loadConfig()).not.toHaveProperty('cscLink');
    expect(loadConfig()).not.toHaveProperty('cscKeyPassword');
  });

  it('publishes update metadata for the generic provider (the URL is replaced from policy at run time)', () => {
    expect(loadConfig().publish[0]).toMatchObject({ provider: 'generic' });
    expect(String(loadConfig().publish[0]?.url)).toMatch(/^https:\/\//);
  });
});
