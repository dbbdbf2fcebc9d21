import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, ValidateBy, ValidateIf } from 'class-validator';
import { MAX_TEXT_LENGTH, type PartyRole, type TerminateConvention } from '@cl/domain';
import { IsBusinessDate, IsOptionalButNotNull } from '../../http/validators';
import { IsText } from '../shared/text';

const PARTIES: PartyRole[] = ['funder', 'beneficiary'];
const ONE_FORM = 'send either "on" (the day decided and effective), or "decidedOn" and "effectiveOn", not both forms';

/**
 * X1 (v2). The dates come in exactly one of two forms: `decidedOn` and `effectiveOn`, or `on`
 * for both; anything else is a 400. `decidedBy` is the party whose principal records it, taken
 * from the caller's role; only a caller holding both party roles must name it.
 */
export class TerminateConventionRequest {
  @ApiPropertyOptional({ example: '2020-11-30', description: 'the day it was decided (with effectiveOn; or send "on" alone)' })
  @ValidateIf((body: TerminateConventionRequest) => body.on === undefined || body.decidedOn !== undefined)
  @IsDefined({ message: `decidedOn is required: ${ONE_FORM}` }) @IsBusinessDate()
  decidedOn?: string;

  @ApiPropertyOptional({ example: '2020-12-31', description: 'the day it takes effect, on or after decidedOn and not after today (with decidedOn)' })
  @ValidateIf((body: TerminateConventionRequest) => body.on === undefined || body.effectiveOn !== undefined)
  @IsDefined({ message: `effectiveOn is required: ${ONE_FORM}` }) @IsBusinessDate()
  effectiveOn?: string;

  @ApiPropertyOptional({ example: '2020-11-30', description: 'decided and effective the same day: instead of decidedOn and effectiveOn' })
  @IsOptionalButNotNull() @IsBusinessDate()
  @ValidateBy({
    name: 'oneTerminationDateForm',
    validator: {
      validate: (_: unknown, args) => {
        const body = args?.object as TerminateConventionRequest;
        return body.decidedOn === undefined && body.effectiveOn === undefined;
      },
      defaultMessage: () => ONE_FORM,
    },
  })
  on?: string;

  @ApiProperty({ example: 'Sommes utilisées à des fins non conformes' }) @IsText(MAX_TEXT_LENGTH.description) reason: string;
  @ApiProperty({ enum: PARTIES, description: 'the party that failed' }) @IsIn(PARTIES) atFault: PartyRole;

  @ApiPropertyOptional({ enum: PARTIES, description: 'who records it: taken from the caller’s role; required only from a caller holding both party roles' })
  @IsOptionalButNotNull() @IsIn(PARTIES)
  decidedBy?: PartyRole;

  toCommand(decidedBy: PartyRole): TerminateConvention {
    const decidedOn = this.on ?? this.decidedOn!;
    const effectiveOn = this.on ?? this.effectiveOn!;
    return { type: 'TerminateConvention', decidedOn, effectiveOn, decidedBy, reason: this.reason, atFault: this.atFault };
  }
}
