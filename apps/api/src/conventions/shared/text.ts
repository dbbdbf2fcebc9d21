import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** A required, bounded human text (names, reasons, descriptions): `max` is one of the domain's MAX_TEXT_LENGTH. */
export const IsText = (max: number) => applyDecorators(IsString(), IsNotEmpty(), MaxLength(max));
