// PromQL validation, the validation-query catalogue and the Prometheus client (issue: PromQL library).
export {};
