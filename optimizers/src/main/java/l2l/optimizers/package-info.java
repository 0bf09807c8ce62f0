/**
 * Optimizers as pure functions over trees of tensors, built from combinators (after optax):
 * {@link l2l.optimizers.Optimizer} is the type, {@link l2l.optimizers.Transforms} the building
 * blocks and combinators, {@link l2l.optimizers.Optimizers} the named hand-designed rules,
 * {@link l2l.optimizers.Schedules} the schedules, {@link l2l.optimizers.Checks} the up-front
 * checks. Learned optimizers live in {@code l2l.optimizers.learned}.
 */
package l2l.optimizers;
