// electron-builder's msiProjectCreated hook (electron-builder.config.cjs): adds to the generated WiX project
// the same mailto: registration the NSIS installer writes (build/installer.nsh), so Windows' "Default apps"
// offers Ratsdesk as a mail program. HKMU is HKLM for this per-machine MSI.
'use strict';
const { readFile, writeFile } = require('node:fs/promises');

/** Fixed forever: Windows Installer tracks the component (and removes its values on uninstall) by it. */
const COMPONENT_GUID = '{5E0B7C3A-7B8E-4F7B-9C59-2F3A6B1D8E41}';
const EXE = '[APPLICATIONFOLDER]Ratsdesk.exe';

const values = [
  ['Software\\Classes\\Ratsdesk.mailto', null, 'URL:MailTo Protocol'],
  ['Software\\Classes\\Ratsdesk.mailto', 'URL Protocol', ''],
  ['Software\\Classes\\Ratsdesk.mailto\\DefaultIcon', null, `${EXE},0`],
  ['Software\\Classes\\Ratsdesk.mailto\\shell\\open\\command', null, `"${EXE}" "%1"`],
  ['Software\\Clients\\Mail\\Ratsdesk', null, 'Ratsdesk'],
  ['Software\\Clients\\Mail\\Ratsdesk\\Capabilities', 'ApplicationName', 'Ratsdesk'],
  [
    'Software\\Clients\\Mail\\Ratsdesk\\Capabilities',
    'ApplicationDescription',
    'Verschlüsselte E-Mail und Ratsinformation',
  ],
  ['Software\\Clients\\Mail\\Ratsdesk\\Capabilities\\URLAssociations', 'mailto', 'Ratsdesk.mailto'],
  ['Software\\RegisteredApplications', 'Ratsdesk', 'Software\\Clients\\Mail\\Ratsdesk\\Capabilities'],
];

const attr = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The WiX project with the mailto: registration component in ProductComponents. */
function addMailtoRegistration(wxs) {
  if (wxs.includes('Id="RatsdeskMailtoRegistration"')) return wxs;
  const at = wxs.lastIndexOf('</ComponentGroup>');
  if (at < 0) throw new Error('msi-mailto-registration: no ComponentGroup in the WiX project');
  const rows = values.map(
    ([key, name, value], i) =>
      `        <RegistryValue Root="HKMU" Key="${attr(key)}"${name === null ? '' : ` Name="${attr(name)}"`} Type="string" Value="${attr(value)}"${i === 0 ? ' KeyPath="yes"' : ''}/>`,
  );
  const component = [
    `      <Component Id="RatsdeskMailtoRegistration" Guid="${COMPONENT_GUID}">`,
    ...rows,
    '      </Component>',
    '    ',
  ].join('\n');
  return `${wxs.slice(0, at)}${component}${wxs.slice(at)}`;
}

module.exports = async function msiProjectCreated(projectFile) {
  await writeFile(projectFile, addMailtoRegistration(await readFile(projectFile, 'utf8')));
};
module.exports.addMailtoRegistration = addMailtoRegistration;
