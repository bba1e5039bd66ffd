/**
 * Not API: kcp-netty's diagnostics that other kcpj modules (the {@code bench} perf tool) use.
 * Public only so that those modules can reach them; they may change or go without notice.
 */
package io.kcpj.netty.internal;
