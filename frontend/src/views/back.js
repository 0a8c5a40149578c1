// Leaving a view opened over another (the admin dialog, the share
// composer).
import { useRouter } from 'vue-router';

/** useBack answers a function that goes back where the user came from,
 * or to fallback when they came from outside the app. */
export function useBack() {
  const router = useRouter();
  return (fallback) => (window.history.state?.back ? router.back() : router.replace(fallback));
}
