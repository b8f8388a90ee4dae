import { describe, expect, it } from 'vitest';
import { formatPkcs11Uri, parsePkcs11Uri, redactUri, tokenUri } from '../../../electron/core/token/pkcs11-uri';
import { KeyriteError } from '../../../electron/core/util/errors';

/** RFC 7512 section 3.3's examples, each with what it must decode to. */
const RFC_VECTORS: [string, Record<string, unknown>][] = [
  ['pkcs11:', { path: {}, query: {} }],
  ['pkcs11:object=my-pubkey;type=public', { path: { object: 'my-pubkey', type: 'public' } }],
  ['pkcs11:object=my-key;type=private?pin-source=file:/etc/token', { path: { object: 'my-key', type: 'private' }, query: { 'pin-source': 'file:/etc/token' } }],
  [
    'pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token_pin',
    { path: { token: 'The Software PKCS#11 Softtoken', manufacturer: 'Snake Oil, Inc.', model: '1.0', object: 'my-certificate', type: 'cert', id: '69953e5cf4bdec91', serial: '' }, query: { 'pin-source': 'file:/etc/token_pin' } },
  ],
  ['pkcs11:object=my-sign-key;type=private?module-name=mypkcs11', { path: { object: 'my-sign-key', type: 'private' }, query: { 'module-name': 'mypkcs11' } }],
  ['pkcs11:object=my-sign-key;type=private?module-path=/mnt/libmypkcs11.so.1', { query: { 'module-path': '/mnt/libmypkcs11.so.1' } }],
  ['pkcs11:token=Software%20PKCS%2311%20softtoken;manufacturer=Snake%20Oil,%20Inc.?pin-value=the-pin', { path: { token: 'Software PKCS#11 softtoken', manufacturer: 'Snake Oil, Inc.' }, query: { 'pin-value': 'the-pin' } }],
  ['pkcs11:slot-description=Sun%20Metaslot', { path: { 'slot-description': 'Sun Metaslot' } }],
  [
    'pkcs11:library-manufacturer=Snake%20Oil,%20Inc.;library-description=Soft%20Token%20Library;library-version=1.23',
    { path: { 'library-manufacturer': 'Snake Oil, Inc.', 'library-description': 'Soft Token Library', 'library-version': '1.23' } },
  ],
  ['pkcs11:token=My%20token%25%20created%20by%20Joe;library-version=3;id=%01%02%03%Ba%dd%Ca%fe%04%05%06', { path: { token: 'My token% created by Joe', 'library-version': '3', id: '010203baddcafe040506' } }],
  ['pkcs11:token=A%20name%20with%20a%20substring%20%25%3B;object=my-certificate;type=cert', { path: { token: 'A name with a substring %;', object: 'my-certificate', type: 'cert' } }],
  ['pkcs11:token=Name%20with%20a%20small%20A%20with%20acute:%20%C3%A1;object=my-certificate;type=cert', { path: { token: 'Name with a small A with acute: \u00e1', object: 'my-certificate', type: 'cert' } }],
  [
    'pkcs11:token=my-token;object=my-certificate;type=cert;vendor-aaa=value-a?pin-source=file:/etc/token_pin&vendor-bbb=value-b',
    { path: { token: 'my-token', object: 'my-certificate', type: 'cert' }, query: { 'pin-source': 'file:/etc/token_pin' }, vendorPath: [['vendor-aaa', 'value-a']], vendorQuery: [['vendor-bbb', 'value-b']] },
  ],
];

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof KeyriteError ? e.code : `not a KeyriteError: ${String(e)}`;
  }
  return 'no error';
}

describe('PKCS#11 URIs (RFC 7512)', () => {
  it.each(RFC_VECTORS)('parses the RFC example %s', (uri, want) => {
    expect(parsePkcs11Uri(uri)).toMatchObject(want);
  });

  it.each(RFC_VECTORS)('prints %s back to a URI that parses to the same attributes', (uri) => {
    const parsed = parsePkcs11Uri(uri);
    const printed = formatPkcs11Uri(parsed);
    expect(parsePkcs11Uri(printed)).toEqual(parsed);
    // Printing is canonical: printing the re-parsed URI gives the same text.
    expect(formatPkcs11Uri(parsePkcs11Uri(printed))).toBe(printed);
  });

  it('percent-encodes what a value cannot carry and leaves the characters the RFC allows', () => {
    const printed = formatPkcs11Uri({ path: { token: 'CA root; 100% á/b?', serial: 'a&b' }, query: { 'module-path': '/usr/lib/x y.so' } });
    expect(printed).toBe('pkcs11:token=CA%20root%3B%20100%25%20%C3%A1%2Fb%3F;serial=a&b?module-path=/usr/lib/x%20y.so');
    expect(parsePkcs11Uri(printed).path.token).toBe('CA root; 100% á/b?');
  });

  it('prints id as bytes, every one percent-encoded', () => {
    expect(formatPkcs11Uri({ path: { id: '41ff00' } })).toBe('pkcs11:id=%41%FF%00');
  });

  it('keeps path and query attributes apart', () => {
    expect(code(() => parsePkcs11Uri('pkcs11:module-path=/x.so'))).toBe('PKCS11_URI_INVALID');
    expect(code(() => parsePkcs11Uri('pkcs11:?token=abc'))).toBe('PKCS11_URI_INVALID');
    expect(code(() => parsePkcs11Uri('pkcs11:pin-value=1234'))).toBe('PKCS11_URI_INVALID');
  });

  it.each([
    ['not the scheme', 'pkcs12:token=a'],
    ['a duplicate path attribute', 'pkcs11:token=a;token=b'],
    ['a duplicate query attribute', 'pkcs11:?module-path=/a&module-path=/b'],
    ['both module-name and module-path', 'pkcs11:?module-name=a&module-path=/b'],
    ['a bad percent escape', 'pkcs11:token=a%2'],
    ['an unescaped space', 'pkcs11:token=a b'],
    ['a "/" in the path', 'pkcs11:token=a/b'],
    ['invalid UTF-8', 'pkcs11:token=%C3'],
    ['an unknown object type', 'pkcs11:type=key'],
    ['a non-numeric slot-id', 'pkcs11:slot-id=one'],
    ['a bad library-version', 'pkcs11:library-version=1.2.3'],
    ['an attribute without "="', 'pkcs11:token'],
  ])('refuses %s', (_what, uri) => {
    expect(code(() => parsePkcs11Uri(uri))).toBe('PKCS11_URI_INVALID');
  });

  it('never echoes a pin-value in its error', () => {
    try {
      parsePkcs11Uri('pkcs11:token=a b?pin-value=s3cret-pin');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret-pin');
    }
    expect(redactUri('pkcs11:?module-name=x&pin-value=9999&x-a=1')).toBe('pkcs11:?module-name=x&pin-value=***&x-a=1');
  });

  it('names a token by label, manufacturer, serial, model and module path', () => {
    const uri = tokenUri({ label: 'Root CA 2026', serial: '5b2e9f1c0a3d4e71', model: 'SoftHSM v2', manufacturer: 'SoftHSM project' }, '/usr/lib/softhsm/libsofthsm2.so');
    expect(uri).toBe('pkcs11:token=Root%20CA%202026;manufacturer=SoftHSM%20project;serial=5b2e9f1c0a3d4e71;model=SoftHSM%20v2?module-path=/usr/lib/softhsm/libsofthsm2.so');
  });
});
