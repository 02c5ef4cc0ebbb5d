import { Module } from '@nestjs/common';
import { AdminPagesController } from './admin-pages.controller.js';
import { CaseworkController } from './casework.controller.js';
import { ConsolePages } from './console-pages.service.js';
import { ConsoleController } from './console.controller.js';
import { GovernancePagesController } from './governance-pages.controller.js';
import { RecordsPagesController } from './records-pages.controller.js';
import { RegistryPagesController } from './registry-pages.controller.js';
import { ReviewsPagesController } from './reviews-pages.controller.js';

/**
 * The console at /console: GOV.UK Design System pages rendered on the server, a client of the broker's
 * own API (every action goes through the same authorisation, validation and audit as any caller).
 */
@Module({
  controllers: [
    ConsoleController,
    CaseworkController,
    GovernancePagesController,
    ReviewsPagesController,
    RecordsPagesController,
    RegistryPagesController,
    AdminPagesController,
  ],
  providers: [ConsolePages],
})
export class ConsoleModule {}
