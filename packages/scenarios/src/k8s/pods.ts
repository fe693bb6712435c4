import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { ExitCode, MlperfError } from '@mlperf/core';

export type PodRole = 'runner' | 'initializer' | 'starter' | 'DFSP simulator' | 'other';

/** k6-operator labels runner pods `runner=true`; the initializer and starter are Jobs named after the TestRun. */
export function podRole(pod: V1Pod): PodRole {
  const labels = pod.metadata?.labels ?? {};
  const name = pod.metadata?.name ?? '';
  if (labels.runner === 'true') return 'runner';
  if (name.includes('-initializer')) return 'initializer';
  if (name.includes('-starter')) return 'starter';
  if (labels['app.kubernetes.io/component'] === 'dfsp-simulator') return 'DFSP simulator';
  return 'other';
}

export const podName = (pod: V1Pod) => pod.metadata?.name ?? '?';
export const mainContainer = (pod: V1Pod) => pod.spec?.containers[0]?.name ?? 'k6';

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
/** k6 exits 0 when all went well and 99 when thresholds were crossed: both are finished tests. */
const K6_DONE = new Set([0, 99]);

function statuses(pod: V1Pod): V1ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/** Whether a container of the pod runs or ran, so its log can be read. */
export function hasLog(pod: V1Pod): boolean {
  const c = pod.status?.containerStatuses?.[0]?.state;
  return c?.running !== undefined || c?.terminated !== undefined;
}

/** Whether the pod's main container has ended. */
export function hasEnded(pod: V1Pod): boolean {
  const phase = pod.status?.phase;
  return (
    phase === 'Succeeded' ||
    phase === 'Failed' ||
    pod.status?.containerStatuses?.[0]?.state?.terminated !== undefined
  );
}

/** The reason a k6-operator pod cannot do its job, as an exit-3 error; undefined while it is fine. */
export function podProblem(pod: V1Pod): MlperfError | undefined {
  const name = podName(pod);
  const role = podRole(pod);
  for (const s of statuses(pod)) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && IMAGE_PULL.has(waiting.reason)) {
      return new MlperfError(
        'K8S_IMAGE_PULL',
        `${role} pod ${name} cannot pull image ${s.image}: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`,
        {
          hint:
            role === 'DFSP simulator'
              ? 'build and push an image with the mlperf CLI (see K8S.md) and pass it with --dfsp-sim-image'
              : 'check the image name and tag (--runner-image), that the nodes can reach its registry, and any imagePullSecrets',
          exitCode: ExitCode.unavailable,
        },
      );
    }
    if (waiting?.reason === 'CreateContainerConfigError') {
      return new MlperfError('K8S_POD_CONFIG', `${role} pod ${name}: ${waiting.message ?? waiting.reason}`, {
        hint: 'a ConfigMap or Secret the pod needs is missing; see `kubectl describe pod ' + name + '`',
        exitCode: ExitCode.unavailable,
      });
    }
    const term = s.state?.terminated;
    if (role === 'runner' && term && !K6_DONE.has(term.exitCode)) {
      const oom = term.reason === 'OOMKilled';
      return new MlperfError(
        'K6_RUNNER_FAILED',
        `runner pod ${name} stopped mid-test: exit code ${term.exitCode}${term.reason ? ` (${term.reason})` : ''}`,
        {
          hint: oom
            ? 'the runner ran out of memory: raise its memory limit or add runner pods (--parallelism)'
            : `see its log in logs/${name}.log and \`kubectl describe pod ${name}\``,
          exitCode: ExitCode.unavailable,
        },
      );
    }
  }
  if (role === 'runner' && pod.status?.phase === 'Failed') {
    return new MlperfError(
      'K6_RUNNER_FAILED',
      `runner pod ${name} failed: ${pod.status.reason ?? pod.status.message ?? 'unknown reason'}`,
      {
        hint: `see \`kubectl describe pod ${name}\` (evicted or its node lost?)`,
        exitCode: ExitCode.unavailable,
      },
    );
  }
  return undefined;
}

/** Why a pod is still pending (e.g. `0/3 nodes are available: 3 Insufficient cpu`), if the scheduler said. */
export function pendingReason(pod: V1Pod): string | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled' && x.status === 'False');
  return c ? `${c.reason ?? 'Unschedulable'}: ${c.message ?? ''}`.trim() : undefined;
}
