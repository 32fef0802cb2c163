import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { WhoAmI } from "../api/types.ts";

/** Who is signed in: `admin` sees action buttons, `read` does not (the API refuses them anyway: 403). */
export const SessionContext = createContext<WhoAmI>({ name: "", scope: "read" });

export const useIsAdmin = () => useContext(SessionContext).scope === "admin";
