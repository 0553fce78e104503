import { SetMetadata } from '@nestjs/common';

export const ROLES = 'krypton:roles';

/** Restricts a route to principals holding at least one of these roles. */
export const Roles = (...roles: string[]) => SetMetadata(ROLES, roles);
