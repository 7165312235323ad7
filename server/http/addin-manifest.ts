/**
 * The add-in manifest as served at /manifest.xml. The built file names one address for the
 * add-in (the development https://localhost:3000/, or the build's ADDIN_BASE_URL). When the
 * server knows for sure where callers reach it (PUBLIC_URL, or a proxy named in TRUST_PROXY), the
 * manifest is served with that address instead, so a manifest downloaded through the proxy, say
 * https://energy.example.ac.uk/metering/manifest.xml, loads the pane, functions and icons through
 * the proxy too, whatever address the add-in was built for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Request, Response, NextFunction } from 'express';
import type { AppContext } from './context';
import { publicBaseFor } from './public-url';

/** The pane's address in the manifest: everything before `taskpane.html` is the add-in's base. */
const SOURCE_LOCATION = /<SourceLocation DefaultValue="([^"]*\/)taskpane\.html"\s*\/>/;

/** `xml` with every address under its built base moved to `publicBase` (no trailing slash), and its AppDomain to that origin. */
export function manifestFor(xml: string, publicBase: string): string {
  const builtBase = SOURCE_LOCATION.exec(xml)?.[1];
  if (builtBase === undefined) return xml;
  const base = `${publicBase.replace(/\/+$/, '')}/`;
  const builtOrigin = new URL(builtBase).origin;
  return xml
    .split(builtBase)
    .join(base)
    .replace(/<AppDomain>([^<]*)<\/AppDomain>/g, (element, domain: string) =>
      domain === builtOrigin ? `<AppDomain>${new URL(base).origin}</AppDomain>` : element,
    );
}

/** GET /manifest.xml: the built manifest, at the caller's address when it is known; else the static file as built. */
export function servedManifest(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const publicBase = publicBaseFor(ctx, req);
    const file = path.join(ctx.config.staticDir, 'manifest.xml');
    if (publicBase === undefined || !fs.existsSync(file)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/xml').send(manifestFor(fs.readFileSync(file, 'utf8'), publicBase));
  };
}
