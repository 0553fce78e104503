export * from './audit-record';
export * from './audit-writer';
export * from './audit-verify';
export * from './audit-query';
export * from './fhir-audit-event';
export * from './syslog-exporter';
export * from './audit.service';
export * from './audit.module';
