/**
 * STUN test vectors, copied byte for byte from the RFCs (hex with spaces at attribute boundaries).
 * Origin: RFC 5769 §2.1-§2.4 (https://www.rfc-editor.org/rfc/rfc5769) and RFC 8489 Appendix B.1
 * (https://www.rfc-editor.org/rfc/rfc8489#appendix-B.1); the same bytes are in pion/stun
 * rfc5769_test.go.
 */

/** RFC 5769 §2.1: short-term password of the request and both responses. */
export const SHORT_TERM_PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';

/** RFC 5769 §2.1 sample request: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME (padded with 3 spaces), MI, FINGERPRINT. */
export const REQUEST = `00010058 2112a442 b7e7a701bc34d686fa87dfae
  80220010 5354554e207465737420636c69656e74
  00240004 6e0001ff
  80290008 932ff9b151263b36
  00060009 6576746a3a68367659202020
  00080014 9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2
  80280004 e57a3bcf`;

/** RFC 5769 §2.2 IPv4 response: SOFTWARE "test vector " (padded with a space), XOR-MAPPED-ADDRESS 192.0.2.1:32853, MI, FINGERPRINT. */
export const IPV4_RESPONSE = `0101003c 2112a442 b7e7a701bc34d686fa87dfae
  8022000b 7465737420766563746f7220
  00200008 0001a147e112a643
  00080014 2b91f599fd9e90c38c7489f92af9ba53f06be7d7
  80280004 c07d4c96`;

/** RFC 5769 §2.3 IPv6 response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
export const IPV6_RESPONSE = `01010048 2112a442 b7e7a701bc34d686fa87dfae
  8022000b 7465737420766563746f7220
  00200014 0002a1470113a9faa5d3f179bc25f4b5bed2b9d9
  00080014 a382954e4be67bf11784c97c8292c275bfe3ed41
  80280004 c8fb0b4c`;

/** RFC 5769 §2.4 request with long-term credentials: USERNAME, NONCE, REALM, MI (zero padding). */
export const LONG_TERM_REQUEST = `00010060 2112a442 78ad3433c6ad72c029da412e
  00060012 e3839ee38388e383aae38383e382afe382b9 0000
  0015001c 662f2f3439396b39353464364f4c33346f4c39465354767936347341
  0014000b 6578616d706c652e6f7267 00
  00080014 f67024656dd64a3e02b8e0712e85c9a28ca89666`;

export const LONG_TERM_USERNAME = '\u30de\u30c8\u30ea\u30c3\u30af\u30b9';
/** The password BEFORE SASLprep, as RFC 5769 §2.4 gives it ("TheMatrIX" after SASLprep). */
export const LONG_TERM_PASSWORD_RAW = 'The\u00adM\u00aatr\u2168';
export const LONG_TERM_REALM = 'example.org';
export const LONG_TERM_NONCE = 'f//499k954d6OL34oL9FSTvy64sA';

/**
 * RFC 8489 Appendix B.1: the same credentials with USERHASH, PASSWORD-ALGORITHM SHA-256 and
 * MESSAGE-INTEGRITY-SHA256 (key = SHA-256(user:realm:pass)). The NONCE starts with the "obMatJos2"
 * security feature prefix; its padding is zeros.
 */
export const SHA256_REQUEST = `00010090 2112a442 78ad3433c6ad72c029da412e
  001e0020 4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704
  00150029 6f624d61744a6f733241414143662f2f3439396b39353464364f4c33346f4c39465354767936347341 000000
  0014000b 6578616d706c652e6f7267 00
  001d0004 00020000
  001c0020 b5c7bf005b6c52a21c51c5e892f81924136296cb927c43149309278cc6518e65`;
