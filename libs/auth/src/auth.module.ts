import { Global, Module } from '@nestjs/common';
import { Authenticator } from './authenticator';

/**
 * The Authenticator for the importing app. The guard is not registered here: an app lists
 * `{ provide: APP_GUARD, useClass: AuthGuard }` itself, before its AccessGuard, so that the order
 * is certain (who is calling, then the access decision) and the guard runs once per request
 * (registered here and in the app, it ran twice).
 */
@Global()
@Module({
  providers: [Authenticator],
  exports: [Authenticator],
})
export class AuthModule {}
