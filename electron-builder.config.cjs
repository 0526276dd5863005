// electron-builder configuration for Ratsdesk (https://www.electron.build/configuration).
// Secrets never live here: signing reads the environment only (see docs/IT.md, "Signing").
//   Windows signtool:  WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD (or CSC_LINK / CSC_KEY_PASSWORD)
//   Azure Trusted Signing: AZURE_TRUSTED_SIGNING_ENDPOINT, AZURE_TRUSTED_SIGNING_ACCOUNT,
//                          AZURE_TRUSTED_SIGNING_PROFILE, AZURE_PUBLISHER_NAME
//                          (+ AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET for Entra ID)
//   macOS Developer ID: CSC_LINK / CSC_KEY_PASSWORD; notarization: APPLE_API_KEY, APPLE_API_KEY_ID, APPLE_API_ISSUER
'use strict';

const env = process.env;

/** Native modules that must be rebuilt for Electron's ABI and kept outside the asar archive. */
const nativeModules = ['keytar', 'better-sqlite3-multiple-ciphers'];

/** Fixed forever: Windows Installer recognises new MSIs as upgrades of older ones by this code. */
const MSI_UPGRADE_CODE = '1f12e170-9943-4379-9741-78a4df5bb822';

const azureSigning =
  env.AZURE_TRUSTED_SIGNING_ENDPOINT && env.AZURE_TRUSTED_SIGNING_ACCOUNT && env.AZURE_TRUSTED_SIGNING_PROFILE
    ? {
        azureSignOptions: {
          endpoint: env.AZURE_TRUSTED_SIGNING_ENDPOINT,
          codeSigningAccountName: env.AZURE_TRUSTED_SIGNING_ACCOUNT,
          certificateProfileName: env.AZURE_TRUSTED_SIGNING_PROFILE,
          publisherName: env.AZURE_PUBLISHER_NAME || 'Ratsdesk',
        },
      }
    : {};

const notarize = Boolean(env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER);

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'de.ratsdesk.app',
  productName: 'Ratsdesk',
  copyright: 'Copyright © Ratsdesk contributors',
  directories: { output: 'release', buildResources: 'build' },
  files: ['dist/**/*', 'dist-electron/**/*', 'package.json', '!**/*.map'],
  asar: true,
  // The document worker thread's bundle runs from outside the archive (a worker thread loads a plain file).
  asarUnpack: [
    '**/*.node',
    ...nativeModules.map((m) => `node_modules/${m}/**/*.node`),
    'dist-electron/document-worker.mjs',
  ],
  npmRebuild: true,
  nativeRebuilder: 'sequential',
  buildDependenciesFromSource: false,
  // A release build (CI sets RATSDESK_RELEASE=1) fails instead of producing an unsigned installer.
  forceCodeSigning: env.RATSDESK_RELEASE === '1',
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    grantFileProtocolExtraPrivileges: false,
    loadBrowserProcessSpecificV8Snapshot: false,
  },
  // The real update URL and channel come from the managed policy at run time (autoUpdater.setFeedURL);
  // this entry makes electron-builder write latest.yml / beta.yml next to the installers.
  publish: [{ provider: 'generic', url: 'https://updates.ratsdesk.de/', channel: 'latest' }],
  detectUpdateChannel: true,
  // Ratsdesk can be the system's mail program: mailto: goes into macOS' CFBundleURLTypes and the Linux .desktop
  // file's MimeType (x-scheme-handler/mailto); Windows gets it from build/installer.nsh (NSIS) and
  // build/msi-mailto-registration.cjs (MSI), which also list the app under Default Programs.
  protocols: [{ name: 'E-Mail', schemes: ['mailto'], role: 'Editor' }],
  msiProjectCreated: 'build/msi-mailto-registration.cjs',
  generateUpdatesFilesForAllChannels: true,
  win: {
    target: [
      { target: 'nsis', arch: ['x64', 'arm64'] },
      { target: 'msi', arch: ['x64'] },
    ],
    icon: 'build/icon.png',
    // Updates are only installed when their Authenticode signature matches the running app's publisher.
    verifyUpdateCodeSignature: true,
    signtoolOptions: {
      signingHashAlgorithms: ['sha256'],
      rfc3161TimeStampServer: 'http://timestamp.digicert.com',
      ...(env.WIN_PUBLISHER_NAME ? { publisherName: env.WIN_PUBLISHER_NAME } : {}),
    },
    ...azureSigning,
  },
  nsis: {
    artifactName: '${productName}-Setup-${version}.${ext}',
    oneClick: false,
    // Not forced per machine: the installer asks "only for me" or "for all users" (silent: /S per user,
    // /S /allusers per machine); per-machine elevates through UAC.
    perMachine: false,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    selectPerMachineByDefault: false,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    deleteAppDataOnUninstall: false,
    differentialPackage: true,
    include: 'build/installer.nsh',
  },
  msi: {
    artifactName: '${productName}-${version}.${ext}',
    perMachine: true,
    oneClick: true,
    upgradeCode: MSI_UPGRADE_CODE,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    runAfterFinish: false,
  },
  mac: {
    target: [
      { target: 'dmg', arch: ['universal'] },
      { target: 'zip', arch: ['universal'] },
    ],
    artifactName: '${productName}-${version}-${arch}.${ext}',
    category: 'public.app-category.productivity',
    icon: 'build/icon.png',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    notarize,
    minimumSystemVersion: '12.0',
  },
  dmg: { sign: false },
  linux: {
    target: [
      { target: 'deb', arch: ['x64'] },
      { target: 'AppImage', arch: ['x64'] },
    ],
    category: 'Office',
    icon: 'build/icon.png',
    maintainer: 'Ratsdesk <it@ratsdesk.de>',
    synopsis: 'Encrypted mail and council information for council members',
  },
  deb: {
    depends: [
      'libgtk-3-0',
      'libnotify4',
      'libnss3',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0',
      'libuuid1',
      'libsecret-1-0',
    ],
    priority: 'optional',
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
};

module.exports = config;
