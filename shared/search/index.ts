export { foldForSearch, phoneDigits } from './normalize';
