import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReadSideModule } from '../read-side/read-side.module';
import { HealthController } from './health.controller';
import { HealthIndicators } from './health-indicators';

/**
 * GET /health on @nestjs/terminus. Terminus's own error log is off: every failed probe would
 * log the whole result every few seconds, while the causes (storage faults) are logged where
 * they happen.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ReadSideModule],
  controllers: [HealthController],
  providers: [HealthIndicators],
})
export class HealthModule {}
