import { Body, Controller, ForbiddenException, HttpCode, NotFoundException, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Access, accessContext, AccessService, EmergencyRefusedError } from '@krypton/access';
import { EmergencyAccessDto } from './access.dto';

/** Break-the-glass (issue #10): a professional opens an exam outside the rules, with a reason. */
@ApiTags('access')
@ApiBearerAuth()
@Controller('access')
export class EmergencyAccessController {
  constructor(private readonly access: AccessService) {}

  @Post('emergency')
  @HttpCode(201)
  @Access('emergency-access', 'write', { instance: true })
  @ApiOperation({ summary: 'Break the glass: open a study for access.emergencyMinutes with a stated reason; audited and shown to the patient' })
  async open(@Body() body: EmergencyAccessDto, @Req() req: Request) {
    try {
      const g = await this.access.breakGlass(accessContext(req), body.studyInstanceUid, body.reason);
      return { id: g.grantId, studyInstanceUid: body.studyInstanceUid, expiresAt: g.expiresAt, reason: body.reason };
    } catch (e) {
      if (e instanceof EmergencyRefusedError) throw e.status === 404 ? new NotFoundException(`studyInstanceUid: ${e.message}`) : new ForbiddenException(e.message);
      throw e;
    }
  }
}
