import type { EngineCommand } from './EngineCommand.ts';
import type { EngineState } from './EngineState.ts';

export interface StepOutput {
  state: EngineState;
  command: EngineCommand;
}
