import { Injectable } from '@nestjs/common';

/** The time runs are measured by; a provider so tests can move it instead of waiting. */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}
