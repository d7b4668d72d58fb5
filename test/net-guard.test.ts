/**
 * The address guard on its own: which addresses are refused, how allowHosts entries match,
 * and the socket lookup that hands a connection only addresses it has checked.
 */
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, test } from 'node:test';
import {
  addressRefusal,
  assertHostAllowed,
  BlockedAddressError,
  guardedLookup,
  isAllowed,
  parseAllowList,
} from '../src/collect/http/net-guard.ts';

describe('addressRefusal', () => {
  test('public unicast addresses pass', () => {
    for (const ip of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(addressRefusal(ip), undefined, ip);
    }
  });

  test('loopback, private, link-local, CGNAT, reserved and their mapped forms are refused', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.5.4', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.0.10', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['224.0.0.251', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['192.0.2.1', 'reserved'],
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1', 'linkLocal'],
      ['fc00::1', 'uniqueLocal'],
      ['fd12:3456::1', 'uniqueLocal'],
      ['ff02::1', 'multicast'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:10.1.1.1', 'private'],
      ['[::ffff:a9fe:a9fe]', 'linkLocal'],
    ];
    for (const [ip, range] of cases) assert.equal(addressRefusal(ip), range, ip);
  });

  test('NAT64 and 6to4 forms, which can carry an internal IPv4 address, are refused', () => {
    assert.notEqual(addressRefusal('64:ff9b::7f00:1'), undefined);
    assert.notEqual(addressRefusal('2002:7f00:1::'), undefined);
  });

  test('172.15 and 172.32 are public, the /12 boundary is exact', () => {
    assert.equal(addressRefusal('172.15.255.255'), undefined);
    assert.equal(addressRefusal('172.32.0.1'), undefined);
  });
});

describe('allowHosts', () => {
  const allow = parseAllowList(['LocalHost', '127.0.0.1', '[::1]', '10.0.0.0/8', 'fd00::/8', ' ']);

  test('names match case-insensitively, whatever they resolve to', () => {
    assert.ok(isAllowed('localhost', '127.0.0.5', allow));
    assert.ok(isAllowed('LOCALHOST', undefined, allow));
    assert.ok(isAllowed('localhost.', undefined, allow), 'the fully qualified form too');
    assert.ok(!isAllowed('intranet', '192.168.1.1', allow));
  });

  test('single IPs and CIDRs match addresses, including IPv4-mapped IPv6', () => {
    assert.ok(isAllowed('x', '127.0.0.1', allow));
    assert.ok(isAllowed('x', '::ffff:127.0.0.1', allow));
    assert.ok(!isAllowed('x', '127.0.0.2', allow));
    assert.ok(isAllowed('x', '::1', allow));
    assert.ok(isAllowed('x', '10.200.3.4', allow));
    assert.ok(!isAllowed('x', '11.0.0.1', allow));
    assert.ok(isAllowed('x', 'fd00::42', allow));
    assert.ok(!isAllowed('x', 'fc00::42', allow));
  });

  test('assertHostAllowed judges IP literals and leaves names to the lookup', () => {
    const none = parseAllowList([]);
    assert.throws(() => assertHostAllowed('127.0.0.1', none), BlockedAddressError);
    assert.throws(() => assertHostAllowed('[::1]', none), BlockedAddressError);
    assert.doesNotThrow(() => assertHostAllowed('127.0.0.1', allow));
    assert.doesNotThrow(() => assertHostAllowed('8.8.8.8', none));
    assert.doesNotThrow(() => assertHostAllowed('news.example', none));
  });
});

describe('guardedLookup', () => {
  function lookupAll(allowHosts: string[], host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) => {
      guardedLookup(parseAllowList(allowHosts))(host, { all: true }, (error, addresses) => {
        if (error) reject(error);
        else resolve(addresses as LookupAddress[]);
      });
    });
  }

  test('a name that resolves to loopback is refused unless allowed', async () => {
    await assert.rejects(lookupAll([], 'localhost'), (error: unknown) => {
      assert.ok(error instanceof BlockedAddressError);
      assert.equal(error.code, 'BLOCKED_ADDRESS');
      assert.equal(error.host, 'localhost');
      return true;
    });
    const allowed = await lookupAll(['localhost'], 'localhost');
    assert.ok(allowed.length >= 1);
  });

  test('only the permitted addresses are handed to the socket', async () => {
    const addresses = await lookupAll(['127.0.0.1'], 'localhost');
    assert.deepEqual(
      addresses.map((a) => a.address),
      ['127.0.0.1'],
    );
  });

  test('single-address form answers with one checked address', async () => {
    const address = await new Promise<string>((resolve, reject) => {
      guardedLookup(parseAllowList(['127.0.0.1']))('localhost', { family: 4 }, (error, result) => {
        if (error) reject(error);
        else resolve(result as string);
      });
    });
    assert.equal(address, '127.0.0.1');
  });
});
