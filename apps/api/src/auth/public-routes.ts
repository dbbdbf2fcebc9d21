import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { PUBLIC_ROUTE } from './auth.decorators';

export interface PublicRouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A fixed path (no parameters), e.g. `/stats`. */
  path: string;
}

/** The paths SwaggerModule serves (app.factory.ts): the page, its assets, the JSON and YAML documents. */
export const OPENAPI_PATH = '/docs';

/**
 * The routes that need no token: the handlers marked @PublicRoute() (read from the controllers'
 * metadata, so the decorator is the only list) and the OpenAPI pages. The authentication
 * middleware asks this before any body is parsed; the guard reads the same decorator.
 * Matching follows Express's routing (case-insensitive, one trailing slash allowed); a path that
 * Express would route elsewhere is never public.
 */
export class PublicRoutes {
  private readonly keys: Set<string>;

  constructor(routes: PublicRouteSpec[]) {
    for (const r of routes) {
      if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(r.path)) throw new Error(`public route ${r.method} ${r.path}: only fixed paths can be public (no parameter, wildcard or trailing slash)`);
    }
    this.keys = new Set(routes.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method]).map((m) => `${m} ${r.path.toLowerCase()}`)));
  }

  matches(method: string, path: string): boolean {
    const p = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();
    if (method === 'GET' || method === 'HEAD') {
      const docs = OPENAPI_PATH.toLowerCase();
      if (p === docs || p.startsWith(`${docs}/`) || p === `${docs}-json` || p === `${docs}-yaml`) return true;
    }
    return this.keys.has(`${method} ${p}`);
  }

  /** For the documentation and the tests. */
  list(): string[] {
    return [...this.keys].sort();
  }

  /** The routes of every controller of the application marked @PublicRoute() (on the method or the class). */
  static discover(modules: ModulesContainer): PublicRoutes {
    const scanner = new MetadataScanner();
    const routes: PublicRouteSpec[] = [];
    for (const module of modules.values()) {
      for (const wrapper of module.controllers.values()) {
        const type = wrapper.metatype as (new (...args: never[]) => object) | null;
        if (!type) continue;
        const classPublic = Reflect.getMetadata(PUBLIC_ROUTE, type) === true;
        const bases = asArray(Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined);
        for (const name of scanner.getAllMethodNames(type.prototype)) {
          const handler = (type.prototype as Record<string, unknown>)[name] as object;
          const own = Reflect.getMetadata(PUBLIC_ROUTE, handler) as boolean | undefined;
          if (!(own ?? classPublic)) continue;
          const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
          if (paths === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] as PublicRouteSpec['method'];
          for (const base of bases) for (const path of asArray(paths)) routes.push({ method, path: join(base, path) });
        }
      }
    }
    return new PublicRoutes(routes);
  }
}

const asArray = (value: string | string[] | undefined): string[] => (value === undefined ? [''] : Array.isArray(value) ? value : [value]);

function join(...parts: string[]): string {
  const segments = parts.flatMap((p) => p.split('/')).filter(Boolean);
  return `/${segments.join('/')}`;
}
