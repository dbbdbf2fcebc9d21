import { DestinationRefusedError, isAllowListed, isPublicAddress, parseWebhookUrl, resolveDestination } from './webhook-destination';

describe('where webhooks may be sent', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::7f00:1', '::127.0.0.1',
  ])('refuses %s (loopback, private, link-local, reserved, or such an address mapped into IPv6)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::6810:85e5', '::ffff:8.8.8.8'])('accepts the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('takes http(s) URLs only, without credentials', () => {
    expect(parseWebhookUrl('https://example.org/hooks').href).toBe('https://example.org/hooks');
    for (const url of ['ftp://example.org/', 'file:///etc/passwd', 'not a url', 'https://user:pw@example.org/']) {
      expect(() => parseWebhookUrl(url)).toThrow(DestinationRefusedError);
    }
  });

  it('lets WEBHOOK_ALLOWED_HOSTS name a host, or a host and port', () => {
    expect(isAllowListed(new URL('http://127.0.0.1:8080/x'), ['127.0.0.1'])).toBe(true);
    expect(isAllowListed(new URL('http://127.0.0.1:8080/x'), ['127.0.0.1:8080'])).toBe(true);
    expect(isAllowListed(new URL('http://127.0.0.1:8081/x'), ['127.0.0.1:8080'])).toBe(false);
    expect(isAllowListed(new URL('https://hooks.internal/x'), ['hooks.internal:443'])).toBe(true);
  });

  it('refuses a host name that resolves to loopback unless allow-listed, and IP literals in every spelling', async () => {
    await expect(resolveDestination(new URL('http://localhost:9/'), [])).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    await expect(resolveDestination(new URL('http://localhost:9/'), ['localhost'])).resolves.not.toHaveLength(0);
    for (const url of ['http://0x7f000001/', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/', 'http://[::1]:80/']) {
      await expect(resolveDestination(new URL(url), [])).rejects.toMatchObject({ code: 'WEBHOOK_URL_REFUSED' });
    }
  });
});
