import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';

/** A Kubernetes quantity (`128Mi`, `500m`). */
export const quantity = (value: string) => k8s.Quantity.fromString(value);

/** An HTTP probe on a named container port (`web` unless said otherwise). */
export const httpProbe = (path: string, port = 'web') => ({ httpGet: { path, port: k8s.IntOrString.fromString(port) } });
