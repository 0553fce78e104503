import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '@krypton/auth';
import { viewerDir } from './viewer-dir';

/**
 * The OHIF viewer's single-page routes. Its static files are served by express.static (see
 * bootstrap); these routes only return index.html for the paths the viewer routes itself.
 * The page is public; the data it loads goes through DICOMweb and the auth guard.
 */
@ApiExcludeController()
@Controller()
export class ViewerController {
  @Public()
  @Get(['', 'viewer', 'viewer/*path'])
  index(@Res() res: Response): void {
    const index = join(viewerDir(), 'index.html');
    if (!existsSync(index)) throw new NotFoundException('the web viewer is not installed (scripts/lib.sh ensure_viewer)');
    res.sendFile(index);
  }
}
