import { describe, expect, test } from 'vitest';
import { recognizeRisLink, recognizeRisLinks } from '../../electron/services/ris/link-recognizer';

describe('RIS link recognizer', () => {
  test.each([
    ['https://ratsinfo.leipzig.de/bi/vo020.asp?VOLFDNR=1004625', 'allris', 'paper', '1004625'],
    ['https://ratsinfo.leipzig.de/bi/to010.asp?SILFDNR=1009876', 'allris', 'meeting', '1009876'],
    ['http://ratsinfo.erkelenz.de/bi/to020.asp?TOLFDNR=55123', 'allris', 'agendaItem', '55123'],
    ['https://www.stadt-koeln.de/vi/kp020.asp?KPLFDNR=4711', 'allris', 'person', '4711'],
    ['https://ratsinfo-online.net/landkreis-mol-bi/oi/vo020.asp?VOLFDNR=12&options=4', 'allris', 'paper', '12'],
    ['https://ris.dresden.de/bi/vo020.asp?volfdnr=3', 'allris', 'paper', '3'],
    ['https://ratsinfo.leipzig.de/bi/do027.asp?DOLFDNR=998877', 'allris', 'file', '998877'],
    ['https://ratsinfo.leipzig.de/bi/getfile.asp?id=123456&type=do', 'allris', 'file', '123456'],
    ['https://allris.kreis-xy.de/public/vo020?VOLFDNR=2345&refresh=false', 'allris', 'paper', '2345'],
    ['https://allris.kreis-xy.de/public/to010?SILFDNR=2001', 'allris', 'meeting', '2001'],
    ['https://allris.kreis-xy.de/public/to020?TOLFDNR=77', 'allris', 'agendaItem', '77'],
    ['https://allris.kreis-xy.de/public/kp020?KPLFDNR=8', 'allris', 'person', '8'],
    ['https://allris.kreis-xy.de/public/doc?DOLFDNR=9911', 'allris', 'file', '9911'],
    ['https://buergerinfo.stadt-wuerzburg.de/vo0050.php?__kvonr=12345', 'sessionnet', 'paper', '12345'],
    ['https://sessionnet.krz.de/lemgo/bi/si0057.php?__ksinr=6789', 'sessionnet', 'meeting', '6789'],
    ['https://sessionnet.krz.de/lemgo/bi/to0040.php?__ksinr=6790', 'sessionnet', 'meeting', '6790'],
    ['https://ratsinfo.stadt.de/bi/kp0051.php?__kpenr=321&grnr=5', 'sessionnet', 'person', '321'],
    ['https://ratsinfo.stadt.de/bi/to0050.php?__ktonr=42', 'sessionnet', 'agendaItem', '42'],
    ['https://ratsinfo.stadt.de/sessionnet/bi/vo0050.asp?__kvonr=99', 'sessionnet', 'paper', '99'],
    ['https://ratsinfo.stadt.de/sessionnet/bi/si0057.asp?__ksinr=100', 'sessionnet', 'meeting', '100'],
    ['https://ratsinfo.stadt.de/bi/getfile.php?id=445566&type=do', 'sessionnet', 'file', '445566'],
  ])('recognizes %s', (url, product, kind, id) => {
    expect(recognizeRisLink(url)).toEqual({ product, kind, id, url: new URL(url).href });
  });

  // Shapes of the vendors' public installations (issue 14): SD.NET RIM, ALLRIS's OParl download,
  // SessionNet's getfile and Somacos's OParl downloadfiles.
  test.each([
    [
      'https://luenen.ratsinfomanagement.net/sdnetrim/UGhVM0hpd2NXNFdFcExjZa-7rDdDydtHI4je0puztisl_AokqjDd0mDf-ZALgo71/Verwaltungsvorlage_VL-105-2025_.pdf',
      'sdnet',
      'file',
      'UGhVM0hpd2NXNFdFcExjZa-7rDdDydtHI4je0puztisl_AokqjDd0mDf-ZALgo71',
    ],
    [
      'https://rim.ekom21.de/lampertheim/sdnetrim/UGhVM0hpd2NXNFdFcExjZZ6YwhZMraU7WSixIIV92T-JOTa6U0M7f6ifZs6OycPm/Beschlussvorlage_2009-11.pdf',
      'sdnet',
      'file',
      'UGhVM0hpd2NXNFdFcExjZZ6YwhZMraU7WSixIIV92T-JOTa6U0M7f6ifZs6OycPm',
    ],
    [
      'https://sdnetrim.kdvz-frechen.de/rim4550/sdnetrim/UGhVM0hpd2NXNFdFcExjZQ/Einladung_Rat.pdf',
      'sdnet',
      'file',
      'UGhVM0hpd2NXNFdFcExjZQ',
    ],
    [
      'https://rim.ekom21.de/biblis/webservice/oparl/v1.1/body/1/files/UGhVM0hpd2NXNFdFcExjZVRtFcJP7akaFadZSh6Z8Rvi3mFjmzGBcfcwe-0DIu5x/Oeffentliche_Niederschrift_Gemeindevertretung_29.09.2021.pdf',
      'sdnet',
      'file',
      'UGhVM0hpd2NXNFdFcExjZVRtFcJP7akaFadZSh6Z8Rvi3mFjmzGBcfcwe-0DIu5x',
    ],
    [
      'https://ris.wesel.de/vorgang/?__=UGhVM0hpd2NXNFdFcExjZZX_vMqiAbzwPeEl-j4Ermw',
      'sdnet',
      'paper',
      'UGhVM0hpd2NXNFdFcExjZZX_vMqiAbzwPeEl-j4Ermw',
    ],
    [
      'https://samtgemeinde-eilsen.ratsinfomanagement.net/tops/?__=UGhVM0hpd2NXNFdFcExjZS0b_zYl2QMJ3h4RM5bBmzA',
      'sdnet',
      'meeting',
      'UGhVM0hpd2NXNFdFcExjZS0b_zYl2QMJ3h4RM5bBmzA',
    ],
    [
      'https://sdnetrim.kdvz-frechen.de/rim4550/sitzungen/',
      'sdnet',
      'page',
      'https://sdnetrim.kdvz-frechen.de/rim4550/sitzungen/',
    ],
    ['https://ratsinfo.leipzig.de/bi/oparl/1.0/download.asp?dtyp=130&id=1000487', 'allris', 'file', '1000487'],
    ['https://ratsinfo.magdeburg.de/oparl/bodies/0001/downloadfiles/a/00692749.pdf', 'sessionnet', 'file', '692749'],
    ['https://sessionnet-oparl.krz.de/oparl/bodies/5497/downloadfiles/a/00096648.pdf', 'sessionnet', 'file', '96648'],
    ['https://ratsinfo.magdeburg.de/getfile.asp?id=692749&type=do', 'sessionnet', 'file', '692749'],
    [
      'https://ris-neuss.itk-rheinland.de/sessionnetneubi/getfile.asp?id=216549&type=do',
      'sessionnet',
      'file',
      '216549',
    ],
    [
      'https://ratsinfosystem.bad-mergentheim.de/buergerinfo/getfile.php?id=80705&type=do',
      'sessionnet',
      'file',
      '80705',
    ],
    ['https://www.nottuln.de/sessionnet/sessionnetbi/to0050.php?__ktonr=18044', 'sessionnet', 'agendaItem', '18044'],
  ])('recognizes the vendor link %s', (url, product, kind, id) => {
    expect(recognizeRisLink(url)).toEqual({ product, kind, id, url: new URL(url).href });
  });

  test('a file download found twice (OParl downloadfiles and getfile) has the same id', () => {
    const viaOparl = recognizeRisLink('https://ratsinfo.magdeburg.de/oparl/bodies/0001/downloadfiles/a/00692749.pdf');
    const viaPage = recognizeRisLink('https://ratsinfo.magdeburg.de/getfile.asp?id=692749&type=do');
    expect(viaOparl?.id).toBe(viaPage?.id);
  });

  test('OParl object URLs under an SD.NET instance stay OParl links of the configured system', () => {
    const options = { oparlPrefixes: ['https://sdnetrim.kdvz-frechen.de/rim4550/webservice/oparl/v1.1/'] };
    expect(
      recognizeRisLink('https://sdnetrim.kdvz-frechen.de/rim4550/webservice/oparl/v1.1/body/1/paper/5', options),
    ).toMatchObject({ product: 'oparl', kind: 'paper' });
  });

  test.each([
    'https://ratsinfo.leipzig.de/bi/vo020.asp',
    'https://ratsinfo.leipzig.de/bi/vo020.asp?VOLFDNR=abc',
    'https://ratsinfo.leipzig.de/bi/allris.net.asp',
    'https://ratsinfo.leipzig.de/xx/vo020.asp?VOLFDNR=1',
    'https://example.org/vo0050.php?foo=1',
    'https://example.org/index.php?__kvonr=1',
    'ftp://ratsinfo.leipzig.de/bi/vo020.asp?VOLFDNR=1',
    'javascript:alert(1)//bi/vo020.asp?VOLFDNR=1',
    'https://user:pw@ratsinfo.leipzig.de/bi/vo020.asp?VOLFDNR=1',
    'not a url',
    // Look-alikes of the vendor downloads that are not theirs.
    'https://www.example.org/download.asp?id=234799',
    'https://www.example.org/download.asp?dtyp=abc&id=1',
    'https://ris.wesel.de/vorgang/',
    'https://ris.wesel.de/vorgang/?__=kurz',
    'https://example.org/sdnetrim/',
    'https://example.org/downloadfiles/',
    'https://example.org/trim2024/plan.html',
  ])('does not recognize %s', (url) => {
    expect(recognizeRisLink(url)).toBeNull();
  });

  test('recognizes OParl object URLs of a configured system and guesses their kind', () => {
    const options = {
      oparlPrefixes: ['https://ris.krefeld.de/webservice/oparl/v1.0/', 'https://ratsinfo.leipzig.de/bi/oparl/1.0/'],
    };
    expect(recognizeRisLink('https://ris.krefeld.de/webservice/oparl/v1.0/body/1/paper/4711', options)).toMatchObject({
      product: 'oparl',
      kind: 'paper',
    });
    expect(recognizeRisLink('https://ratsinfo.leipzig.de/bi/oparl/1.0/meetings.asp?id=1009', options)).toMatchObject({
      product: 'oparl',
      kind: 'meeting',
    });
    expect(recognizeRisLink('https://ratsinfo.leipzig.de/bi/oparl/1.0/files.asp?id=1', options)?.kind).toBe('file');
    expect(recognizeRisLink('https://ris.krefeld.de/webservice/oparl/v1.0/body/1/agendaitem/9', options)?.kind).toBe(
      'agendaItem',
    );
    expect(recognizeRisLink('https://ris.krefeld.de/webservice/oparl/v1.0/body/1/person/2', options)?.kind).toBe(
      'person',
    );
    expect(recognizeRisLink('https://ris.krefeld.de/webservice/oparl/v1.0/body/1/organization/2', options)?.kind).toBe(
      'page',
    );
    // Not configured: not an OParl link.
    expect(recognizeRisLink('https://other.example.de/oparl/v1.0/paper/1', options)).toBeNull();
  });

  test('other pages of configured RIS origins open as pages; unknown origins do not', () => {
    const options = { risOrigins: ['https://ratsinfo.stadt.de'] };
    expect(recognizeRisLink('https://ratsinfo.stadt.de/bi/infobi.php', options)).toEqual({
      product: 'web',
      kind: 'page',
      id: 'https://ratsinfo.stadt.de/bi/infobi.php',
      url: 'https://ratsinfo.stadt.de/bi/infobi.php',
    });
    expect(recognizeRisLink('https://evil.example/bi/infobi.php', options)).toBeNull();
  });

  test('finds every link in a plain-text mail, ignoring punctuation and duplicates', () => {
    const body = [
      'Liebe Fraktion,',
      'die Vorlage (https://ratsinfo.leipzig.de/bi/vo020.asp?VOLFDNR=1004625) kommt am Donnerstag in die',
      'Sitzung https://ratsinfo.leipzig.de/bi/to010.asp?SILFDNR=1009876. Siehe auch',
      '<https://buergerinfo.stadt-wuerzburg.de/vo0050.php?__kvonr=12345>, und nochmal',
      'https://ratsinfo.leipzig.de/bi/vo020.asp?VOLFDNR=1004625!',
      'Nicht relevant: https://www.leipzig.de/ und https://example.org/vo020.asp?VOLFDNR=1',
    ].join('\n');
    expect(recognizeRisLinks(body).map((l) => [l.product, l.kind, l.id])).toEqual([
      ['allris', 'paper', '1004625'],
      ['allris', 'meeting', '1009876'],
      ['sessionnet', 'paper', '12345'],
    ]);
  });

  test('finds links in HTML href attributes with &amp; entities', () => {
    const html =
      '<p>Bitte lesen: <a href="https://ratsinfo.stadt.de/bi/kp0051.php?__kpenr=321&amp;grnr=5">Herr X</a> ' +
      "und <a href='https://allris.kreis-xy.de/public/vo020?VOLFDNR=2345&amp;refresh=false'>Vorlage</a></p>";
    const links = recognizeRisLinks(html);
    expect(links).toEqual([
      {
        product: 'sessionnet',
        kind: 'person',
        id: '321',
        url: 'https://ratsinfo.stadt.de/bi/kp0051.php?__kpenr=321&grnr=5',
      },
      {
        product: 'allris',
        kind: 'paper',
        id: '2345',
        url: 'https://allris.kreis-xy.de/public/vo020?VOLFDNR=2345&refresh=false',
      },
    ]);
  });
});
