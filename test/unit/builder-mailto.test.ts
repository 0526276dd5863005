import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';

// The installers register the mailto: scheme (macOS CFBundleURLTypes and the Linux .desktop MimeType come from
// `protocols`; Windows from build/installer.nsh for NSIS and the msiProjectCreated hook for the MSI).
// electron-builder cannot run here (it needs Electron's download), so its inputs are checked.

const root = join(__dirname, '..', '..');
const require = createRequire(import.meta.url);
const config = require(join(root, 'electron-builder.config.cjs')) as {
  protocols: { name: string; schemes: string[] }[];
  nsis: { include?: string };
  msiProjectCreated?: string;
};
const hook = require(join(root, 'build', 'msi-mailto-registration.cjs')) as ((file: string) => Promise<void>) & {
  addMailtoRegistration(wxs: string): string;
};

describe('installers register mailto:', () => {
  it('macOS and Linux: the protocols entry electron-builder turns into CFBundleURLTypes and x-scheme-handler/mailto', () => {
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['mailto'] })]);
  });

  it('NSIS: the included script registers the URL class and the Default Programs capabilities, and removes them', () => {
    expect(config.nsis.include).toBe('build/installer.nsh');
    const nsh = readFileSync(join(root, config.nsis.include!), 'utf8');
    const install = nsh.slice(nsh.indexOf('!macro customInstall'), nsh.indexOf('!macroend'));
    expect(install).toContain(
      'WriteRegStr SHELL_CONTEXT "Software\\Classes\\Ratsdesk.mailto\\shell\\open\\command" "" \'"$appExe" "%1"\'',
    );
    expect(install).toContain(
      '"Software\\Clients\\Mail\\Ratsdesk\\Capabilities\\URLAssociations" "mailto" "Ratsdesk.mailto"',
    );
    expect(install).toContain(
      '"Software\\RegisteredApplications" "Ratsdesk" "Software\\Clients\\Mail\\Ratsdesk\\Capabilities"',
    );
    const uninstall = nsh.slice(nsh.indexOf('!macro customUnInstall'));
    for (const key of ['Software\\Classes\\Ratsdesk.mailto', 'Software\\Clients\\Mail\\Ratsdesk'])
      expect(uninstall).toContain(`DeleteRegKey SHELL_CONTEXT "${key}"`);
    expect(uninstall).toContain('DeleteRegValue SHELL_CONTEXT "Software\\RegisteredApplications" "Ratsdesk"');
  });

  it('MSI: the hook adds one component with the same registry values to electron-builder’s WiX project', async () => {
    expect(config.msiProjectCreated).toBe('build/msi-mailto-registration.cjs');
    const template = readFileSync(join(root, 'node_modules/app-builder-lib/templates/msi/template.xml'), 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'ratsdesk-msi-'));
    try {
      const file = join(dir, 'project.wxs');
      writeFileSync(file, template);
      await hook(file);
      const wxs = readFileSync(file, 'utf8');
      expect(XMLValidator.validate(wxs)).toBe(true);
      // Twice is once: the hook may run on an already extended project.
      expect(hook.addMailtoRegistration(wxs)).toBe(wxs);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(wxs) as {
        Wix: {
          Product: {
            ComponentGroup: { Component: { Id: string; Guid: string; RegistryValue: Record<string, string>[] } };
          };
        };
      };
      const component = doc.Wix.Product.ComponentGroup.Component;
      expect(component.Id).toBe('RatsdeskMailtoRegistration');
      expect(component.Guid).toMatch(/^\{[0-9A-F-]{36}\}$/);
      const values = component.RegistryValue;
      expect(values.every((v) => v.Root === 'HKMU')).toBe(true);
      expect(values.filter((v) => v.KeyPath === 'yes')).toHaveLength(1);
      expect(values).toContainEqual(
        expect.objectContaining({
          Key: 'Software\\Classes\\Ratsdesk.mailto\\shell\\open\\command',
          Value: '"[APPLICATIONFOLDER]Ratsdesk.exe" "%1"',
        }),
      );
      expect(values).toContainEqual(
        expect.objectContaining({
          Key: 'Software\\Clients\\Mail\\Ratsdesk\\Capabilities\\URLAssociations',
          Name: 'mailto',
          Value: 'Ratsdesk.mailto',
        }),
      );
      expect(values).toContainEqual(
        expect.objectContaining({ Key: 'Software\\RegisteredApplications', Name: 'Ratsdesk' }),
      );
      expect(existsSync(join(root, 'build', 'installer.nsh'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
