import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { text } from 'express';
import { AttachedStudyPriorsModule, RoutingModule } from '@krypton/routing';
import { DestinationsController } from './destinations.controller';
import { ProtocolsController } from './protocols.controller';
import { ProtocolSimulation } from './protocol-simulation.service';

/**
 * Inter-site protocols (validate, simulate, save, publish) and the destinations' queues; and the
 * fetchPriors a protocol decided for a study that had no exam yet, carried out when a coordinator
 * ties the study to its exam here.
 */
@Module({
  imports: [RoutingModule, AttachedStudyPriorsModule],
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
