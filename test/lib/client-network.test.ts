// The client network every per-IP limit counts against (src/lib/client-network.ts): the IPv4 address, or
// the IPv6 /64 (one customer's allocation), with IPv4-mapped IPv6 treated as the IPv4 it carries.
import { describe, expect, it } from "vitest";
import { clientNetwork } from "../../src/lib/client-network";

const withIp = (ip: string | null) => new Headers(ip === null ? {} : { "CF-Connecting-IP": ip });

describe("clientNetwork", () => {
  it.each([
    ["IPv4", "203.0.113.7", "203.0.113.7"],
    ["IPv4 with spaces around", " 198.51.100.1 ", "198.51.100.1"],
    ["IPv4 with leading zeros is not canonical", "010.0.0.1", "unknown"],
    ["IPv4 octet over 255", "256.1.1.1", "unknown"],
    ["IPv4 with three parts", "1.2.3", "unknown"],
    ["IPv6 full", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:db8:85a3:0::/64"],
    ["IPv6 full, upper case", "2001:0DB8:85A3:0000:1111:8A2E:0370:7334", "2001:db8:85a3:0::/64"],
    ["IPv6 compressed", "2001:db8::1", "2001:db8:0:0::/64"],
    ["IPv6 compressed in the host half", "2001:db8:1:2::abcd", "2001:db8:1:2::/64"],
    ["IPv6 compressed in the network half", "2001:db8::3:4:5:6", "2001:db8:0:0::/64"],
    ["IPv6 loopback", "::1", "0:0:0:0::/64"],
    ["IPv6 all zeros", "::", "0:0:0:0::/64"],
    ["IPv6 with a dotted IPv4 tail", "64:ff9b::192.0.2.33", "64:ff9b:0:0::/64"],
    ["IPv4-mapped IPv6", "::ffff:1.2.3.4", "1.2.3.4"],
    ["IPv4-mapped IPv6, hex form", "::ffff:0102:0304", "1.2.3.4"],
    ["IPv4-mapped IPv6, written out", "0:0:0:0:0:FFFF:1.2.3.4", "1.2.3.4"],
    ["IPv6 with two ::", "2001::db8::1", "unknown"],
    ["IPv6 with too many groups", "1:2:3:4:5:6:7:8:9", "unknown"],
    ["IPv6 with too few groups", "1:2:3:4:5:6:7", "unknown"],
    ["IPv6 group longer than 4 digits", "2001:db8:12345::1", "unknown"],
    ["IPv6 with a zone", "fe80::1%eth0", "unknown"],
    ["garbage", "not an address", "unknown"],
    ["a list (proxies)", "1.2.3.4, 5.6.7.8", "unknown"],
    ["empty", "", "unknown"],
    ["missing header", null, "unknown"],
  ])("%s: %j -> %j", (_name, ip, expected) => {
    expect(clientNetwork(withIp(ip))).toBe(expected);
  });

  it("puts two addresses of one IPv6 /64 together and the next /64 apart", () => {
    const a = clientNetwork(withIp("2001:db8:aa:bb:1::1"));
    expect(clientNetwork(withIp("2001:db8:aa:bb:ffff:ffff:ffff:ffff"))).toBe(a);
    expect(clientNetwork(withIp("2001:db8:aa:bc::1"))).not.toBe(a);
  });
});
