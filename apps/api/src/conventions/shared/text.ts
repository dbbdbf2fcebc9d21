import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** A required, bounded human text (names, reasons, descriptions). */
export const IsText = (max = 500) => applyDecorators(IsString(), IsNotEmpty(), MaxLength(max));
