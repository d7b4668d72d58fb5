/**
 * decodeBody: byte-order marks, XML and HTML declarations against the HTTP charset, the
 * Chinese and Japanese legacy encodings, wrong and missing labels. Bytes are produced with
 * iconv-lite so each case states its encoding explicitly.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import iconv from 'iconv-lite';

import { decodeBody, normaliseCharset } from '../src/collect/charset.ts';

const encode = (text: string, charset: string): Uint8Array => new Uint8Array(iconv.encode(text, charset));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

const CHINESE = '人工智能公司周二发布了新的开源模型，称其推理能力明显提升，价格也更低。';
const TRADITIONAL = '研究團隊表示，新晶片的能耗比上一代降低了三成，預計明年量產。';
const JAPANESE = '新しい言語モデルが発表され、日本語の性能が大きく向上したと報じられた。';

describe('decodeBody', () => {
  test('UTF-8 decodes as iconv-lite decodes it: byte-order marks, broken sequences after one', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const broken = Buffer.from([0x41, 0xc3, 0x28, 0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0x0a]);
    const decode = (bytes: Buffer): string => decodeBody(new Uint8Array(bytes), undefined, 'text').text;
    assert.equal(decode(Buffer.concat([bom, broken])), iconv.decode(broken, 'utf-8'));
    assert.equal(decode(Buffer.concat([bom, bom, Buffer.from('Tolls rose 5%.')])), 'Tolls rose 5%.');
    assert.equal(decode(Buffer.from('Tolls rose 5% — “again”.')), 'Tolls rose 5% — “again”.');
  });

  test('windows-1252 curly quotes and euro sign, labelled iso-8859-1 as servers do', () => {
    const text = '“Cheaper” models cost €0.20 — or less…';
    const html = encode(`<p>${text}</p>`, 'windows-1252');
    const result = decodeBody(html, 'text/html; charset=ISO-8859-1', 'html');
    assert.equal(result.text, `<p>${text}</p>`);
    assert.equal(result.charset, 'windows-1252');
  });

  test('GBK labelled gb2312 in the XML declaration (decoded as GB18030)', () => {
    const xml = concat(
      encode('<?xml version="1.0" encoding="gb2312"?><title>', 'ascii'),
      encode(CHINESE, 'gbk'),
      encode('</title>', 'ascii'),
    );
    const result = decodeBody(xml, 'application/rss+xml', 'xml');
    assert.equal(result.charset, 'gb18030');
    assert.match(result.text, new RegExp(CHINESE));
  });

  test('GB18030 four-byte characters', () => {
    const text = `${CHINESE} 𠀀 €`; // U+20000 needs GB18030's four-byte form
    const result = decodeBody(encode(`<p>${text}</p>`, 'gb18030'), 'text/html; charset=GB18030', 'html');
    assert.equal(result.text, `<p>${text}</p>`);
  });

  test('Big5 from a <meta http-equiv> declaration', () => {
    const head = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body>';
    const result = decodeBody(
      concat(encode(head, 'ascii'), encode(TRADITIONAL, 'big5'), encode('</body></html>', 'ascii')),
      'text/html',
      'html',
    );
    assert.equal(result.charset, 'big5hkscs');
    assert.ok(result.text.includes(TRADITIONAL));
  });

  test('UTF-16 LE and BE with byte-order marks override every label', () => {
    const text = `<?xml version="1.0" encoding="utf-16"?><t>${CHINESE}</t>`;
    const le = concat(new Uint8Array([0xff, 0xfe]), encode(text, 'utf-16le'));
    const be = concat(new Uint8Array([0xfe, 0xff]), encode(text, 'utf-16be'));
    assert.equal(decodeBody(le, 'text/xml; charset=iso-8859-1', 'xml').text, text);
    assert.equal(decodeBody(be, undefined, 'xml').text, text);
    assert.equal(decodeBody(be, undefined, 'xml').charset, 'utf-16be');
  });

  test('UTF-8 BOM is stripped', () => {
    const result = decodeBody(
      concat(new Uint8Array([0xef, 0xbb, 0xbf]), encode('<rss/>', 'utf-8')),
      'text/xml; charset=windows-1252',
      'xml',
    );
    assert.equal(result.text, '<rss/>');
    assert.equal(result.charset, 'utf-8');
  });

  test('Shift_JIS from <meta charset>', () => {
    const html = concat(encode('<meta charset="Shift_JIS"><p>', 'ascii'), encode(JAPANESE, 'shift_jis'));
    const result = decodeBody(html, undefined, 'html');
    assert.equal(result.charset, 'shift_jis');
    assert.ok(result.text.endsWith(JAPANESE));
  });

  test('HTTP charset wins over the XML declaration (RFC 7303)', () => {
    const xml = concat(
      encode('<?xml version="1.0" encoding="utf-8"?><t>', 'ascii'),
      encode('Ångström café', 'windows-1252'),
      encode('</t>', 'ascii'),
    );
    const result = decodeBody(xml, 'application/xml; charset=windows-1252', 'xml');
    assert.equal(result.text, '<?xml version="1.0" encoding="utf-8"?><t>Ångström café</t>');
  });

  test('a wrong declared charset loses to the bytes', () => {
    // GBK bytes labelled UTF-8: mostly invalid UTF-8, so the label is disbelieved.
    const gbkAsUtf8 = decodeBody(encode(`<p>${CHINESE}</p>`, 'gbk'), 'text/html; charset=utf-8', 'html');
    assert.equal(gbkAsUtf8.text, `<p>${CHINESE}</p>`);
    assert.equal(gbkAsUtf8.guessed, true);
    // UTF-8 bytes labelled Latin-1: valid multi-byte UTF-8 does not happen by chance.
    const utf8AsLatin1 = decodeBody(encode('<p>Zürich “quoted” 北京</p>', 'utf-8'), 'text/html; charset=iso-8859-1', 'html');
    assert.equal(utf8AsLatin1.text, '<p>Zürich “quoted” 北京</p>');
    // HTTP says UTF-8 but the XML declaration names the real charset.
    const declared = concat(encode('<?xml version="1.0" encoding="gbk"?><t>', 'ascii'), encode(CHINESE, 'gbk'), encode('</t>', 'ascii'));
    assert.ok(decodeBody(declared, 'text/xml; charset=utf-8', 'xml').text.includes(CHINESE));
  });

  test('a missing charset: UTF-8 when valid, detected otherwise', () => {
    assert.equal(decodeBody(encode(`<p>${JAPANESE}</p>`, 'utf-8'), undefined, 'html').charset, 'utf-8');
    const gbk = decodeBody(encode(`<p>${CHINESE}${CHINESE}</p>`, 'gbk'), 'text/html', 'html');
    assert.equal(gbk.text, `<p>${CHINESE}${CHINESE}</p>`);
    assert.equal(gbk.guessed, true);
    const sjis = decodeBody(encode(`${JAPANESE}${JAPANESE}`, 'shift_jis'), undefined, 'text');
    assert.equal(sjis.text, `${JAPANESE}${JAPANESE}`);
  });

  test('invalid UTF-8 declared as UTF-8 does not throw and keeps the good text', () => {
    const bytes = concat(
      encode('Café — fine text with ünïcödé ', 'utf-8'),
      new Uint8Array([0xff]),
      encode(' and more “text” here 北京上海', 'utf-8'),
    );
    const result = decodeBody(bytes, 'text/plain; charset=utf-8', 'text');
    assert.equal(result.charset, 'utf-8');
    assert.equal(result.invalidBytes, 1);
    assert.ok(result.text.includes('\ufffd'));
    assert.ok(result.text.startsWith('Café — fine'));
  });

  test('unknown labels are ignored and reported; empty input is fine', () => {
    const result = decodeBody(encode('<?xml version="1.0" encoding="bogus"?><rss/>', 'ascii'), undefined, 'xml');
    assert.equal(result.charset, 'utf-8');
    assert.equal(result.unknownCharset, 'bogus');
    assert.equal(decodeBody(new Uint8Array(), undefined, 'html').text, '');
  });

  test('UTF-16 XML without a BOM is recognised', () => {
    const text = '<?xml version="1.0" encoding="utf-16le"?><rss/>';
    assert.equal(decodeBody(encode(text, 'utf-16le'), undefined, 'xml').text, text);
  });
});

describe('normaliseCharset', () => {
  test('maps labels to the decoders browsers use', () => {
    assert.equal(normaliseCharset('GB2312'), 'gb18030');
    assert.equal(normaliseCharset('gbk'), 'gb18030');
    assert.equal(normaliseCharset('Big5'), 'big5hkscs');
    assert.equal(normaliseCharset('ISO-8859-1'), 'windows-1252');
    assert.equal(normaliseCharset('us-ascii'), 'windows-1252');
    assert.equal(normaliseCharset('"utf8"'), 'utf-8');
    assert.equal(normaliseCharset('x-no-such-charset'), undefined);
  });
});
