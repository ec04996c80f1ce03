package dev.lastcall.emulator;

import java.time.Instant;

/**
 * What a task looks like at one instant: the fields that change over its life.
 *
 * @param completedAt null until the status is terminal
 * @param error null unless the task ended badly or was stopped
 */
record TaskState(
    String status, int progress, Instant updatedAt, Instant completedAt, String error) {}
