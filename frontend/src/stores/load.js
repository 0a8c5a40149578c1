// Loading what the server says once: the stores' shared way.

/** loadOnce answers a loader of fetch: its calls share one load into
 * value, and after a failure, which error says, the next call loads again. */
export function loadOnce(fetch, value, error) {
  let loading = null;
  return () => {
    error.value = '';
    loading ||= fetch().then((v) => { value.value = v; }, (e) => {
      loading = null;
      error.value = e.message;
    });
    return loading;
  };
}
