import { Module } from '@nestjs/common';
import { ResearchModule } from '@krypton/research';
import { ResearchController } from './research.controller';
import { researchExtractorProvider } from './research-extractor.provider';
import { ResearchProjects } from './research-projects.service';

/** Research projects' REST surface: cohort counts, submission, committee decisions, delivery. */
@Module({
  imports: [ResearchModule],
  controllers: [ResearchController],
  providers: [researchExtractorProvider, ResearchProjects],
  exports: [ResearchProjects, researchExtractorProvider, ResearchModule],
})
export class ResearchApiModule {}
