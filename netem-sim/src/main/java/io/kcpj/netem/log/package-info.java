/**
 * The per-packet fate log: {@link io.kcpj.netem.log.Fate}, {@link io.kcpj.netem.log.FateRecord},
 * the {@link io.kcpj.netem.log.FateLog} callback and the CSV / JSON-lines {@link
 * io.kcpj.netem.log.FateLogWriter}.
 */
package io.kcpj.netem.log;
