import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { ServiceErrors } from './services.errors.js';
import { findService, type Service } from './services.repository.js';

export const idParam = z.string().regex(/^[0-9a-z]{1,40}$/);

/** The service named by the path (:id), or 404. */
export async function serviceParam(c: Context<AppEnv>): Promise<Service> {
  const id = idParam.safeParse(c.req.param('id'));
  const service = id.success ? await findService(c.get('ctx').db, id.data) : null;
  if (!service) throw ServiceErrors.notFound();
  return service;
}
