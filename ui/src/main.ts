import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { markOnce } from "./lib/perf";

markOnce("script");
const target = document.getElementById("app");
if (!target) throw new Error("no #app element");
export default mount(App, { target });
