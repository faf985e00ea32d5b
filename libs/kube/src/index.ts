export { makeKubeApiClient } from './api-client.ts';
export {
  bunTlsOptions,
  type KubeFetchInit,
  type KubeFetchResponse,
  kubeFetch,
  sendContext,
} from './kube-fetch.ts';
