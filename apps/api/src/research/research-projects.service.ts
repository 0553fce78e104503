import { ForbiddenException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { Principal } from '@krypton/auth';
import { ProjectRecord, ResearchProjectStore } from '@krypton/research';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Who may read a project: the committee and admins any, a researcher only their own. Nothing here names a patient. */
@Injectable()
export class ResearchProjects {
  constructor(private readonly store: ResearchProjectStore) {}

  /** The projects the caller may read: a researcher sees their own. */
  list(who: Principal): Promise<ProjectRecord[]> {
    return this.store.list(this.privileged(who) ? undefined : who.name);
  }

  /** @throws 422 for a malformed id, 404 for an unknown one, 403 for another researcher's project. */
  async readable(id: string, who: Principal): Promise<ProjectRecord> {
    const project = await this.find(id);
    if (!this.privileged(who) && project.submittedBy !== who.name) throw new ForbiddenException(`research project ${id} belongs to another researcher`);
    return project;
  }

  /** @throws 422 for a malformed id, 404 for an unknown one. */
  async find(id: string): Promise<ProjectRecord> {
    if (!ID.test(id)) throw new UnprocessableEntityException(`id: "${id}" is not a research project id`);
    const project = await this.store.get(id);
    if (!project) throw new NotFoundException(`id: no research project ${id}`);
    return project;
  }

  /** The project with its cohort counts now, its quarantine reasons and its audit trail. */
  async view(p: ProjectRecord) {
    const [cohortCounts, issues, audit] = await Promise.all([this.store.count(p.cohort), this.store.quarantineReasons(p.id), this.store.auditTrail(p.id)]);
    const { workflowId: _w, ...rest } = p;
    return {
      ...rest,
      cohortCounts,
      quarantineReasons: issues,
      audit,
      links: { self: `/research/projects/${p.id}`, archive: `/research/projects/${p.id}/archive`, manifest: `/research/projects/${p.id}/manifest.csv` },
    };
  }

  private privileged(who: Principal): boolean {
    return who.roles.some((r) => r === 'admin' || r === 'data-access-committee');
  }
}
