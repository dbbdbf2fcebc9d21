import { ApiProperty } from '@nestjs/swagger';
import type { OpenDataGrant, OpenDataOrganisation, StatsHistoryPoint } from '@cl/read-models';

/** OpenAPI schemas of the public answers (docs/api.md, docs/open-data.md); each implements the view it documents. */
const MONEY = { example: '800000.00', description: 'euros, two decimals, as a string (M1)' } as const;
const DATE = { example: '2020-05-11', format: 'date' } as const;

export class StatsHistoryPointResponse implements StatsHistoryPoint {
  @ApiProperty({ ...DATE, description: 'a business day on which received or consumed changed' }) on: string;
  @ApiProperty({ ...MONEY, description: 'cumulative tranche payments at the end of that day' }) received: string;
  @ApiProperty({ ...MONEY, description: 'cumulative accepted, non-rejected expenses at the end of that day' }) consumed: string;
}

export class ConsumptionRateResponse {
  @ApiProperty({ example: '37.50', nullable: true, description: 'consumed ÷ ceiling, percent, 2 decimals (half up); null when the ceiling is 0' }) ofCeiling: string | null;
  @ApiProperty({ example: '75.00', nullable: true, description: 'consumed ÷ received, percent; null when nothing was received' }) ofReceived: string | null;
}

/** Only what the page adds to the stats (the stats' own fields are listed in docs/api.md). */
export class PublicStatsResponse {
  @ApiProperty({ description: '{total, byStatus{draft, active, closed, terminated, settled}, provisional}' }) conventions: object;
  @ApiProperty(MONEY) ceiling: string;
  @ApiProperty(MONEY) received: string;
  @ApiProperty(MONEY) consumed: string;
  @ApiProperty({ description: '{due, paid, outstanding}' }) restitution: object;
  @ApiProperty({ type: ConsumptionRateResponse }) consumptionRate: ConsumptionRateResponse;
  @ApiProperty({ type: [StatsHistoryPointResponse], description: 'the chart\'s data, in date order' }) history: StatsHistoryPointResponse[];
  @ApiProperty({ description: 'the global position the figures include' }) position: number;
}

export class OrganisationResponse implements OpenDataOrganisation {
  @ApiProperty({ example: '130026032', description: 'the organisation as registered (T1), e.g. a SIREN' }) id: string;
  @ApiProperty({ example: 'Agence nationale de la cohésion des territoires' }) name: string;
}

export class PlannedDatesResponse {
  @ApiProperty({ ...DATE, nullable: true }) startDate: string | null;
  @ApiProperty({ ...DATE, nullable: true }) endDate: string | null;
  @ApiProperty({ example: 12, description: 'months' }) duration: number;
}

export class OpenDataGrantResponse implements OpenDataGrant {
  @ApiProperty({ description: 'the convention id' }) id: string;
  @ApiProperty({ example: 'ANCT-DINUM-2020' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['EUR'] }) currency: 'EUR';
  @ApiProperty({ ...MONEY, description: 'the ceiling in force' }) amountAwarded: string;
  @ApiProperty({ ...MONEY, description: 'received: tranche payments' }) amountDisbursed: string;
  @ApiProperty({ ...MONEY, description: 'consumed: accepted, non-rejected expenses' }) amountConsumed: string;
  @ApiProperty({ ...DATE, nullable: true, description: 'the day it took effect; null while unsigned' }) awardDate: string | null;
  @ApiProperty({ type: [PlannedDatesResponse] }) plannedDates: PlannedDatesResponse[];
  @ApiProperty({ type: [OrganisationResponse] }) recipientOrganization: OrganisationResponse[];
  @ApiProperty({ type: [OrganisationResponse] }) fundingOrganization: OrganisationResponse[];
  @ApiProperty({ enum: ['draft', 'active', 'closed', 'terminated', 'settled'] }) status: OpenDataGrant['status'];
}

export class OpenDataPageResponse {
  @ApiProperty({ type: [OpenDataGrantResponse] }) grants: OpenDataGrantResponse[];
  @ApiProperty({ nullable: true, example: '/open-data/conventions?after=…&limit=1000', description: 'the next page\'s path, null on the last page' }) next: string | null;
}
