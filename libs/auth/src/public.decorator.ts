import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'krypton:isPublic';

/** Marks a route that needs no token (only /health, for load balancers and supervisors). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
