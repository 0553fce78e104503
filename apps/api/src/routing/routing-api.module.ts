import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { text } from 'express';
import { RoutingModule } from '@krypton/routing';
import { DestinationsController } from './destinations.controller';
import { ProtocolsController } from './protocols.controller';
import { ProtocolSimulation } from './protocol-simulation.service';

/** Inter-site protocols (validate, simulate, save, publish) and the destinations' queues. */
@Module({
  imports: [RoutingModule],
  controllers: [ProtocolsController, DestinationsController],
  providers: [ProtocolSimulation],
  exports: [ProtocolSimulation, RoutingModule],
})
export class RoutingApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Administrators write protocols in YAML: the body arrives as text for the validator.
    consumer.apply(text({ type: ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], limit: '1mb' })).forRoutes('protocols');
  }
}
