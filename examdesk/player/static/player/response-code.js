// Response codes (format in examdesk/player/response_code.py): deflate-raw JSON + CRC-32, Crockford base32 in
// blocks of five, prefixed "EXD1-".

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

let crcTable = null;

export function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function base32(bytes) {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

async function deflateRaw(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// answers: {itemId: answer}; only answered items are carried. answeredAt: {itemId: seconds since 1970} when each
// was given, madeAt: now (seconds): the server takes no answer given after the section's time.
export async function responseCode({ attempt, section, token, answers, seq, answeredAt = {}, madeAt = Math.floor(Date.now() / 1000) }) {
  const payload = JSON.stringify({ v: 2, a: attempt, s: section, t: token, r: answers, n: seq, c: madeAt, w: answeredAt });
  const compressed = await deflateRaw(new TextEncoder().encode(payload));
  const crc = crc32(compressed);
  const body = new Uint8Array(compressed.length + 4);
  body.set(compressed);
  body.set([(crc >>> 24) & 0xff, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff], compressed.length);
  const text = base32(body);
  const blocks = [];
  for (let i = 0; i < text.length; i += 5) blocks.push(text.slice(i, i + 5));
  return ["EXD1", ...blocks].join("-");
}
