export * from './public.decorator';
export * from './roles.decorator';
export * from './principal';
export * from './token-registry';
export * from './auth.guard';
