import { FixedStepper } from './fixed-step';

function stepsOver(hz: number, seconds: number): number {
  const stepper = new FixedStepper();
  let total = 0;
  for (let frame = 0; frame <= seconds * hz; frame++) total += stepper.advance((frame * 1000) / hz);
  return total;
}

describe('FixedStepper', () => {
  it.each([30, 60, 144, 240])('runs 60 steps per second at %d Hz', (hz) => {
    expect(Math.abs(stepsOver(hz, 10) - 600)).toBeLessThanOrEqual(1);
  });

  it('does not fast-forward after a long pause (background tab)', () => {
    const stepper = new FixedStepper();
    stepper.advance(0);
    expect(stepper.advance(60_000)).toBeLessThanOrEqual(6);
  });

  it('starts afresh after reset', () => {
    const stepper = new FixedStepper();
    stepper.advance(0);
    stepper.reset();
    expect(stepper.advance(5000)).toBe(0);
    expect(stepper.advance(5000 + 1000 / 60 + 0.01)).toBe(1);
  });
});
