import { Module } from '@nestjs/common';
import { ResearchProjectStore } from './research-project.store';

/** Research projects' PostgreSQL store (the API and the worker's activities share it). */
@Module({ providers: [ResearchProjectStore], exports: [ResearchProjectStore] })
export class ResearchModule {}
