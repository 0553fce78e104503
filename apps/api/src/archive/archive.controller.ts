import { Body, ConflictException, Controller, Delete, Get, Inject, NotFoundException, Param, Put, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { ArchiveService, ArchiveStudyDeletedError, ArchiveStudyNotFoundError } from '@krypton/archive';
import { CurrentPrincipal, Principal } from '@krypton/auth';
import { Access } from '@krypton/access';
import { isValidUid } from '@krypton/dicom-codec';
import { TEMPORAL_CLIENT } from '@krypton/temporal';
import { archiveProgressQuery, archiveWorkflowId, replanSignal } from '@krypton/workflows/archive';
import { LegalHoldDto } from './legal-hold.dto';

/**
 * The archive lifecycle of a study, for administrators: where its objects are, when its policy
 * moves or deletes them, its audit trail, and the legal hold that forbids deletion.
 */
@ApiTags('archive')
@ApiBearerAuth()
// Archive tiers and legal holds: an administrator's act on the store.
@Access('administration', 'administer')
@Controller('archive/studies')
export class ArchiveController {
  constructor(
    private readonly archive: ArchiveService,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  @Get(':studyUid')
  @ApiOperation({ summary: "A study's tier, legal hold, last access, planned dates, workflow state and audit trail" })
  async status(@Param('studyUid') studyUid: string) {
    const status = await this.guard(studyUid, () => this.archive.status(studyUid));
    const workflow = await this.temporal.workflow
      .getHandle(archiveWorkflowId(studyUid))
      .query(archiveProgressQuery)
      .catch(() => null);
    return { ...status, workflow, events: await this.archive.events(studyUid) };
  }

  @Put(':studyUid/hold')
  @ApiOperation({ summary: 'Set a legal hold: the study is never deleted while it is set (admin)' })
  async hold(@Param('studyUid') studyUid: string, @Body() body: LegalHoldDto, @CurrentPrincipal() who: Principal) {
    const status = await this.guard(studyUid, () => this.archive.setHold(studyUid, body.reason, who.name));
    await this.replan(studyUid);
    return status;
  }

  @Delete(':studyUid/hold')
  @ApiOperation({ summary: 'Clear the legal hold; deletion becomes possible again once retention has run out (admin)' })
  async release(@Param('studyUid') studyUid: string, @CurrentPrincipal() who: Principal) {
    const status = await this.guard(studyUid, () => this.archive.clearHold(studyUid, who.name));
    await this.replan(studyUid);
    return status;
  }

  private async guard<T>(studyUid: string, fn: () => Promise<T>): Promise<T> {
    if (!isValidUid(studyUid)) throw new UnprocessableEntityException(`studyUid: "${studyUid}" is not a valid DICOM UID`);
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ArchiveStudyNotFoundError) throw new NotFoundException(e.message);
      if (e instanceof ArchiveStudyDeletedError) throw new ConflictException(e.message);
      throw e;
    }
  }

  /** The workflow plans again at once (a hold cleared after retention ran out deletes without waiting a month). */
  private async replan(studyUid: string): Promise<void> {
    await this.temporal.workflow
      .getHandle(archiveWorkflowId(studyUid))
      .signal(replanSignal)
      .catch((e) => {
        // Not started yet (the worker's sweep starts it and it plans from the row) or already closed.
        if (!(e instanceof WorkflowNotFoundError)) throw e;
      });
  }
}
