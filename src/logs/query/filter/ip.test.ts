import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inCidr, parseCidr, parseIp } from './ip.js';

function hex(s: string): string | undefined {
  const b = new Uint8Array(16);
  return parseIp(s, b) ? Buffer.from(b).toString('hex') : undefined;
}

test('IPv4 is held as IPv4-mapped IPv6', () => {
  assert.equal(hex('10.0.0.1'), '00000000000000000000ffff0a000001');
  assert.equal(hex('::ffff:10.0.0.1'), hex('10.0.0.1'));
  for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', 'a.b.c.d', '']) {
    assert.equal(hex(bad), undefined, bad);
  }
});

test('IPv6 with compression and a trailing IPv4', () => {
  assert.equal(hex('::'), '0'.repeat(32));
  assert.equal(hex('::1'), `${'0'.repeat(31)}1`);
  assert.equal(hex('2001:db8::8a2e:370:7334'), '20010db80000000000008a2e03707334');
  assert.equal(hex('1:2:3:4:5:6:7:8'), '00010002000300040005000600070008');
  assert.equal(hex('64:ff9b::1.2.3.4'), '0064ff9b000000000000000001020304');
  for (const bad of [
    '1:2:3:4:5:6:7',
    '1::2::3',
    '12345::',
    '1.2.3.4::',
    '1:2:3:4:5:6:7:8:9',
    'g::',
  ]) {
    assert.equal(hex(bad), undefined, bad);
  }
  assert.equal(hex('1:2:3:4:5:6:7::'), '00010002000300040005000600070000');
});

test('CIDR blocks', () => {
  const addr = (s: string) => {
    const b = new Uint8Array(16);
    assert.ok(parseIp(s, b));
    return b;
  };
  const c8 = parseCidr('10.0.0.0/8')!;
  assert.equal(c8.bits, 104);
  assert.ok(inCidr(c8, addr('10.255.0.1')));
  assert.ok(!inCidr(c8, addr('11.0.0.1')));
  const c20 = parseCidr('192.168.16.0/20')!;
  assert.ok(inCidr(c20, addr('192.168.31.255')));
  assert.ok(!inCidr(c20, addr('192.168.32.0')));
  assert.ok(inCidr(parseCidr('2001:db8::/32')!, addr('2001:db8:1::5')));
  assert.ok(inCidr(parseCidr('0.0.0.0/0')!, addr('8.8.8.8')));
  assert.ok(!inCidr(parseCidr('0.0.0.0/0')!, addr('2001:db8::1')));
  assert.ok(inCidr(parseCidr('fe80::1')!, addr('fe80::1')));
  for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/x', 'x/8']) {
    assert.equal(parseCidr(bad), undefined, bad);
  }
});
