import type { CheckpointKeys } from '../../functions/engine/Checkpoint.ts';

/** Signing keys for tests that run the engine directly (a real install draws 256 random bits). */
export const TEST_CHECKPOINT_KEYS: CheckpointKeys = { current: 'test-install-key-0123456789abcdef0123456789abcdef' };
export const OTHER_INSTALL_KEYS: CheckpointKeys = { current: 'other-install-key-fedcba9876543210fedcba9876543210' };
