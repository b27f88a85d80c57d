export {
  cameraLine,
  cameraTimestamp,
  initialMachineSim,
  resumeMachineSim,
  simulateMachine,
  type MachineSim,
  type SimCycle,
  type SimEvent,
  type SimJob,
  type SimulateInput,
  type SimulateResult,
} from './simulate.js';
