import { PublicRoutes } from './public-routes';

describe('public routes', () => {
  const routes = new PublicRoutes([{ method: 'GET', path: '/stats' }, { method: 'GET', path: '/health' }]);

  it('matches as Express routes: any case, one trailing slash, HEAD with GET', () => {
    for (const path of ['/stats', '/Stats', '/stats/', '/HEALTH']) expect(routes.matches('GET', path)).toBe(true);
    expect(routes.matches('HEAD', '/stats')).toBe(true);
  });

  it('is public for the OpenAPI page, its assets and documents only', () => {
    for (const path of ['/docs', '/docs/', '/docs/swagger-ui-init.js', '/docs-json', '/docs-yaml']) expect(routes.matches('GET', path)).toBe(true);
    expect(routes.matches('POST', '/docs')).toBe(false);
    expect(routes.matches('GET', '/docsx')).toBe(false);
  });

  it('is never public for another method, path or spelling', () => {
    expect(routes.matches('POST', '/stats')).toBe(false);
    expect(routes.matches('GET', '/stats//')).toBe(false);
    expect(routes.matches('GET', '/stats/x')).toBe(false);
    expect(routes.matches('GET', '/st%61ts')).toBe(false);
    expect(routes.matches('GET', '/conventions')).toBe(false);
    expect(routes.matches('GET', '/')).toBe(false);
  });

  it('takes fixed paths only', () => {
    expect(() => new PublicRoutes([{ method: 'GET', path: '/conventions/:id' }])).toThrow(/fixed paths/);
    expect(() => new PublicRoutes([{ method: 'GET', path: '/' }])).toThrow(/fixed paths/);
  });
});
